"""Self-tests: /usr/bin/python3 -m unittest interop/test_interop.py (from the repo root)."""
import gzip
import json
import os
import struct
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import numpy as np  # noqa: E402
import torch  # noqa: E402

import check  # noqa: E402
import fashion_mnist  # noqa: E402
import seed_nets  # noqa: E402
from safetensors_np import SafetensorsError, load_file, load_numpy, save_file  # noqa: E402

PARAMS = {
    'lenet': 61706, 'lenet-relu': 61706, 'alexnet': 29983434, 'alexnet2': 46764746,
    'vgg11-8': 2018346, 'vgg11-4': 8060234, 'nin': 1992166, 'googlenet': 5977530,
}


def keys(model):
    return list(seed_nets.build(model).state_dict())


def weights_and_biases(*prefixes):
    return [p + s for p in prefixes for s in ('.weight', '.bias')]


class SeedNetsTest(unittest.TestCase):
    def test_lenet_keys(self):
        want = weights_and_biases('0', '3', '7', '9', '11')
        self.assertEqual(keys('lenet'), want)
        self.assertEqual(keys('lenet-relu'), want)

    def test_alexnet_keys(self):
        conv = ['conv.0', 'conv.3', 'conv.6', 'conv.8', 'conv.10']
        self.assertEqual(keys('alexnet'), weights_and_biases(*conv, 'fc.0', 'fc.3'))
        self.assertEqual(keys('alexnet2'), weights_and_biases(*conv, 'fc.0', 'fc.3', 'fc.6'))
        net = seed_nets.AlexNet(in_channels=3, num_classes=1000)
        self.assertEqual(tuple(net.conv[0].weight.shape), (96, 3, 11, 11))
        self.assertEqual(net.fc[-1].out_features, 1000)

    def test_vgg_keys(self):
        blocks = ['vgg_block_1.0', 'vgg_block_2.0', 'vgg_block_3.0', 'vgg_block_3.2',
                  'vgg_block_4.0', 'vgg_block_4.2', 'vgg_block_5.0', 'vgg_block_5.2']
        self.assertEqual(keys('vgg11-8'), weights_and_biases(*blocks, 'fc.1', 'fc.4', 'fc.7'))
        self.assertEqual(seed_nets.small_conv_arch(8)[0], (1, 1, 8))

    def test_nin_keys(self):
        blocks = ['%d.%d' % (b, c) for b in (0, 2, 4, 7) for c in (0, 2, 4)]
        self.assertEqual(keys('nin'), weights_and_biases(*blocks))

    def test_googlenet_keys(self):
        k = keys('googlenet')
        self.assertEqual(k[:6], weights_and_biases('0.0', '1.0', '1.1'))
        inception = weights_and_biases('2.0.p1_1', '2.0.p2_1', '2.0.p2_2', '2.0.p3_1',
                                       '2.0.p3_2', '2.0.p4_2')
        self.assertEqual(k[6:18], inception)
        self.assertEqual(k[-2:], ['6.weight', '6.bias'])
        self.assertEqual(len(k), 6 + 9 * 12 + 2)

    def test_param_counts(self):
        for model, n in PARAMS.items():
            with self.subTest(model=model):
                self.assertEqual(check.param_count(seed_nets.build(model)), n)

    def test_forward_shapes(self):
        for model in PARAMS:
            with self.subTest(model=model):
                s = seed_nets.input_size(model)
                with torch.no_grad():
                    out = seed_nets.build(model).eval()(torch.rand(2, 1, s, s))
                self.assertEqual(tuple(out.shape), (2, 10))

    def test_unknown_model(self):
        with self.assertRaisesRegex(ValueError, 'use one of'):
            seed_nets.build('resnet')


class SummaryTest(unittest.TestCase):
    def test_vgg_matches_seed_printout(self):
        # the seed prints these for vgg(conv_arch, 512*7*7, 4096) on a 1x1x224x224 input
        want = [('vgg_block_1', [1, 64, 112, 112]), ('vgg_block_2', [1, 128, 56, 56]),
                ('vgg_block_3', [1, 256, 28, 28]), ('vgg_block_4', [1, 512, 14, 14]),
                ('vgg_block_5', [1, 512, 7, 7]), ('fc', [1, 10])]
        s = check.summarize('vgg11', 224)
        self.assertEqual([(l['name'], l['outputShape']) for l in s['layers']], want)
        self.assertEqual(s['params'], 128806154)
        self.assertEqual(s['params'], sum(l['params'] for l in s['layers']))

    def test_vgg11_8_and_googlenet(self):
        s = check.summarize('vgg11-8')
        self.assertEqual(s['layers'][4]['outputShape'], [1, 64, 7, 7])
        g = check.summarize('googlenet')
        self.assertEqual(g['inputShape'], [1, 1, 96, 96])
        self.assertEqual([l['outputShape'] for l in g['layers']],
                         [[1, 64, 24, 24], [1, 192, 12, 12], [1, 480, 6, 6], [1, 832, 3, 3],
                          [1, 1024, 1, 1], [1, 1024], [1, 10]])

    def test_alexnet_flattens_before_fc(self):
        s = check.summarize('alexnet')
        self.assertEqual([l['outputShape'] for l in s['layers']], [[1, 256, 5, 5], [1, 10]])


class SafetensorsTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.path = os.path.join(self.dir.name, 't.safetensors')

    def tearDown(self):
        self.dir.cleanup()

    def test_round_trip(self):
        tensors = {
            'b.f32': torch.randn(3, 4), 'a.f64': torch.randn(2, dtype=torch.float64),
            'i64': torch.arange(5), 'i32': torch.tensor([[1, -2]], dtype=torch.int32),
            'u8': torch.tensor([0, 255], dtype=torch.uint8), 'scalar': torch.tensor(1.5),
            'empty': torch.zeros(0, 3), 'np': np.arange(3, dtype=np.int32),
        }
        save_file(tensors, self.path, metadata={'format': 'pt'})
        back = load_file(self.path)
        self.assertEqual(sorted(back), sorted(tensors))
        for name, t in tensors.items():
            t = torch.as_tensor(t)
            self.assertEqual(back[name].dtype, t.dtype, name)
            self.assertEqual(back[name].shape, t.shape, name)
            self.assertTrue(torch.equal(back[name], t), name)
        self.assertEqual(load_numpy(self.path)[1], {'format': 'pt'})

    def test_layout(self):
        save_file({'z': torch.ones(3), 'a': torch.zeros(2, dtype=torch.int64)}, self.path)
        with open(self.path, 'rb') as f:
            buf = f.read()
        (n,) = struct.unpack('<Q', buf[:8])
        self.assertEqual((8 + n) % 8, 0)
        header = json.loads(buf[8:8 + n])
        self.assertEqual(list(header), ['a', 'z'])
        self.assertEqual(header['a'], {'dtype': 'I64', 'shape': [2], 'data_offsets': [0, 16]})
        self.assertEqual(header['z'], {'dtype': 'F32', 'shape': [3], 'data_offsets': [16, 28]})
        self.assertEqual(len(buf), 8 + n + 28)
        self.assertEqual(buf[8 + n + 16:], struct.pack('<3f', 1, 1, 1))
        self.assertEqual([f for f in os.listdir(self.dir.name)], ['t.safetensors'])

    def test_reads_hand_written_file(self):
        header = b'{"x":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}'
        with open(self.path, 'wb') as f:
            f.write(struct.pack('<Q', len(header)) + header + struct.pack('<2f', 0.5, -2))
        self.assertEqual(load_file(self.path)['x'].tolist(), [0.5, -2.0])

    def test_rejects_bad_files(self):
        save_file({'x': torch.ones(4)}, self.path)
        with open(self.path, 'rb') as f:
            buf = f.read()
        with open(self.path, 'wb') as f:
            f.write(buf[:-1])
        with self.assertRaisesRegex(SafetensorsError, 'data_offsets'):
            load_file(self.path)
        with open(self.path, 'wb') as f:
            f.write(struct.pack('<Q', 1 << 40))
        with self.assertRaisesRegex(SafetensorsError, 'header length'):
            load_file(self.path)


class FashionMnistTest(unittest.TestCase):
    def test_idx_reader(self):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, 'x-idx3-ubyte.gz')
            data = np.arange(24, dtype=np.uint8).reshape(2, 3, 4)
            with gzip.open(path, 'wb') as f:
                f.write(bytes([0, 0, 8, 3]) + struct.pack('>3I', 2, 3, 4) + data.tobytes())
            self.assertTrue(np.array_equal(fashion_mnist.read_idx(path), data))

    @unittest.skipUnless(os.path.exists(fashion_mnist.DEFAULT_DIR), 'dataset-fashion-mnist absent')
    def test_test_split(self):
        x, y = fashion_mnist.load('test')
        self.assertEqual((x.shape, x.dtype, y.shape), ((10000, 1, 28, 28), np.float32, (10000,)))
        self.assertEqual(y[:5].tolist(), [9, 2, 1, 1, 6])
        self.assertEqual(float(x.max()), 1.0)


class CliTest(unittest.TestCase):
    def run_check(self, *args):
        return subprocess.run([sys.executable, os.path.join(HERE, 'check.py'), *args],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def test_init_forward_grad(self):
        with tempfile.TemporaryDirectory() as d:
            w, inp, out = (os.path.join(d, n) for n in ('w.st', 'in.st', 'out.st'))
            r = self.run_check('init', '--model', 'lenet', '--seed', '3', '--out', w)
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertEqual(json.loads(r.stdout)['params'], 61706)
            torch.manual_seed(3)
            ref = seed_nets.lenet()
            self.assertTrue(all(torch.equal(v, load_file(w)[k]) for k, v in ref.state_dict().items()))

            x, g = torch.rand(3, 1, 28, 28), torch.randn(3, 10)
            save_file({'x': x, 'g': g}, inp)
            r = self.run_check('forward', '--model', 'lenet', '--weights', w, '--input', inp,
                               '--grad', '--out', out)
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertEqual(json.loads(r.stdout)['logitsShape'], [3, 10])
            got = load_file(out)
            logits = ref.eval()(x)
            (logits * g).sum().backward()
            self.assertTrue(torch.allclose(got['logits'], logits, atol=1e-6))
            for name, p in ref.named_parameters():
                self.assertTrue(torch.allclose(got['grad.' + name], p.grad, atol=1e-6), name)

            r = self.run_check('forward', '--model', 'nin', '--weights', w, '--input', inp)
            self.assertEqual(r.returncode, 1)
            self.assertEqual(r.stdout, '')
            self.assertIn('missing from file: 0.0.bias', r.stderr)


class BenchPeakTest(unittest.TestCase):
    def run_bench(self, *args):
        return subprocess.run([sys.executable, os.path.join(HERE, 'bench_torch.py'), *args],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def test_peak_prints_both_rates(self):
        r = self.run_bench('--peak', '256', '--threads', '1')
        self.assertEqual(r.returncode, 0, r.stderr)
        got = json.loads(r.stdout)
        self.assertEqual((got['size'], got['threads']), (256, 1))
        for key in ('conv1x1', 'mm'):
            self.assertGreater(got[key], 0.1, key)

    def test_peak_refuses_a_size_not_a_multiple_of_32(self):
        r = self.run_bench('--peak', '100')
        self.assertEqual(r.returncode, 2)
        self.assertEqual(r.stdout, '')
        self.assertIn('--peak 100: N must be a positive multiple of 32', r.stderr)


class BenchStepsTest(unittest.TestCase):
    def test_warmup_and_steps_are_honoured(self):
        r = subprocess.run([sys.executable, os.path.join(HERE, 'bench_torch.py'), '--models', 'lenet', '--json',
                            '--batch-size', '4', '--warmup', '0', '--steps', '2', '--threads', '1'],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.assertEqual(r.returncode, 0, r.stderr)
        [row] = json.loads(r.stdout)
        self.assertEqual((row['model'], row['batchSize'], row['warmup'], row['steps']), ('lenet', 4, 0, 2))
        self.assertGreater(row['trainImgPerSec'], 0)

    def test_quick_times_at_least_5_steps_after_3_warmups(self):
        import bench_torch
        for model in ('alexnet', 'vgg11-8', 'nin', 'googlenet', 'lenet'):
            warm, timed = bench_torch.steps(model, quick=True)
            self.assertGreaterEqual((warm, timed), (3, 5), model)
            self.assertGreaterEqual(timed, 5, model)

    def test_refuses_zero_steps(self):
        r = subprocess.run([sys.executable, os.path.join(HERE, 'bench_torch.py'), '--steps', '0'],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.assertEqual(r.returncode, 2)
        self.assertIn('--steps 0: must be >= 1', r.stderr)


class BenchServeTest(unittest.TestCase):
    def test_answers_each_request_line_and_survives_a_bad_one(self):
        reqs = [{'model': 'lenet', 'batchSize': 4, 'warmup': 1, 'steps': 2},
                {'model': 'no-such-net', 'batchSize': 4, 'warmup': 0, 'steps': 1},
                {'model': 'lenet', 'batchSize': 4, 'warmup': 0, 'steps': 3}]
        r = subprocess.run([sys.executable, os.path.join(HERE, 'bench_torch.py'), '--serve', '--threads', '1'],
                           input=''.join(json.dumps(q) + '\n' for q in reqs),
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.assertEqual(r.returncode, 0, r.stderr)
        first, bad, again = [json.loads(line) for line in r.stdout.splitlines()]
        self.assertEqual((first['model'], first['batchSize'], first['inputSize']), ('lenet', 4, 28))
        self.assertEqual((len(first['trainTimes']), len(first['inferTimes'])), (2, 2))
        self.assertTrue(all(t > 0 for t in first['trainTimes'] + first['inferTimes']))
        self.assertGreater(first['peakBytes'], 0)
        self.assertIn('no-such-net', bad['error'])
        self.assertEqual((len(again['trainTimes']), again['warmup'], again['steps']), (3, 0, 3))


if __name__ == '__main__':
    unittest.main()
