"""The seed notebook's networks, written as the seed writes them.

Same classes, same nn.Sequential nesting and so the same state_dict keys as
../shared/reference/seed-modern-cnns.md (d2l "modern CNNs" chapter, PyTorch).
`d2l.FlattenLayer` and `d2l.GlobalAvgPool2d` are reproduced here as d2l defines them.
"""
import torch
from torch import nn
import torch.nn.functional as F


class FlattenLayer(nn.Module):
    """d2lzh_pytorch.FlattenLayer: (N, ...) -> (N, -1)."""

    def __init__(self):
        super(FlattenLayer, self).__init__()

    def forward(self, x):
        return x.view(x.shape[0], -1)


class GlobalAvgPool2d(nn.Module):
    # 全局平均池化层可通过将池化窗口形状设置成输入的高和宽实现
    def __init__(self):
        super(GlobalAvgPool2d, self).__init__()

    def forward(self, x):
        return F.avg_pool2d(x, kernel_size=x.size()[2:])


# ---------------------------------------------------------------- LeNet (d2l 5.5)

def lenet():
    """The book's LeNet: sigmoid + average pooling. Keys 0, 3, 7, 9, 11."""
    return nn.Sequential(
        nn.Conv2d(1, 6, kernel_size=5, padding=2), nn.Sigmoid(),
        nn.AvgPool2d(kernel_size=2, stride=2),
        nn.Conv2d(6, 16, kernel_size=5), nn.Sigmoid(),
        nn.AvgPool2d(kernel_size=2, stride=2),
        FlattenLayer(),
        nn.Linear(16 * 5 * 5, 120), nn.Sigmoid(),
        nn.Linear(120, 84), nn.Sigmoid(),
        nn.Linear(84, 10))


def lenet_relu():
    """LeNet with ReLU + max pooling; same layer indices as lenet()."""
    return nn.Sequential(
        nn.Conv2d(1, 6, kernel_size=5, padding=2), nn.ReLU(),
        nn.MaxPool2d(kernel_size=2, stride=2),
        nn.Conv2d(6, 16, kernel_size=5), nn.ReLU(),
        nn.MaxPool2d(kernel_size=2, stride=2),
        FlattenLayer(),
        nn.Linear(16 * 5 * 5, 120), nn.ReLU(),
        nn.Linear(120, 84), nn.ReLU(),
        nn.Linear(84, 10))


# ---------------------------------------------------------------- AlexNet

class AlexNet(nn.Module):
    """The seed's AlexNet. hidden_layers=1 is the seed's (CPU) code; 2 restores the
    commented-out Linear(4096, 4096) block, so the fc keys become fc.0, fc.3, fc.6."""

    def __init__(self, hidden_layers=1, in_channels=1, num_classes=10):
        super(AlexNet, self).__init__()
        if hidden_layers not in (1, 2):
            raise ValueError('hidden_layers must be 1 or 2, got %r' % (hidden_layers,))
        self.conv = nn.Sequential(
            nn.Conv2d(in_channels, 96, 11, 4),  # in_channels, out_channels, kernel_size, stride, padding
            nn.ReLU(),
            nn.MaxPool2d(3, 2),  # kernel_size, stride
            nn.Conv2d(96, 256, 5, 1, 2),
            nn.ReLU(),
            nn.MaxPool2d(3, 2),
            nn.Conv2d(256, 384, 3, 1, 1),
            nn.ReLU(),
            nn.Conv2d(384, 384, 3, 1, 1),
            nn.ReLU(),
            nn.Conv2d(384, 256, 3, 1, 1),
            nn.ReLU(),
            nn.MaxPool2d(3, 2)
        )
        hidden = [nn.Linear(256 * 5 * 5, 4096), nn.ReLU(), nn.Dropout(0.5)]
        if hidden_layers == 2:
            hidden += [nn.Linear(4096, 4096), nn.ReLU(), nn.Dropout(0.5)]
        self.fc = nn.Sequential(*hidden, nn.Linear(4096, num_classes))

    def forward(self, img):
        feature = self.conv(img)
        output = self.fc(feature.view(img.shape[0], -1))
        return output


# ---------------------------------------------------------------- VGG

def vgg_block(num_convs, in_channels, out_channels):
    blk = []
    for i in range(num_convs):
        if i == 0:
            blk.append(nn.Conv2d(in_channels, out_channels, kernel_size=3, padding=1))
        else:
            blk.append(nn.Conv2d(out_channels, out_channels, kernel_size=3, padding=1))
        blk.append(nn.ReLU())
    blk.append(nn.MaxPool2d(kernel_size=2, stride=2))  # 这里会使宽高减半
    return nn.Sequential(*blk)


conv_arch = ((1, 1, 64), (1, 64, 128), (2, 128, 256), (2, 256, 512), (2, 512, 512))
fc_features = 512 * 7 * 7  # c * w * h
fc_hidden_units = 4096


def small_conv_arch(ratio=8):
    return [(1, 1, 64 // ratio), (1, 64 // ratio, 128 // ratio), (2, 128 // ratio, 256 // ratio),
            (2, 256 // ratio, 512 // ratio), (2, 512 // ratio, 512 // ratio)]


def vgg(conv_arch, fc_features, fc_hidden_units=4096):
    net = nn.Sequential()
    for i, (num_convs, in_channels, out_channels) in enumerate(conv_arch):
        net.add_module("vgg_block_" + str(i + 1), vgg_block(num_convs, in_channels, out_channels))
    net.add_module("fc", nn.Sequential(FlattenLayer(),
                                       nn.Linear(fc_features, fc_hidden_units),
                                       nn.ReLU(),
                                       nn.Dropout(0.5),
                                       nn.Linear(fc_hidden_units, fc_hidden_units),
                                       nn.ReLU(),
                                       nn.Dropout(0.5),
                                       nn.Linear(fc_hidden_units, 10)
                                       ))
    return net


def vgg11(ratio=None):
    """VGG-11 at 224x224; ratio divides every width as in the seed (ratio=8 is the seed's)."""
    if ratio is None:
        return vgg(conv_arch, fc_features, fc_hidden_units)
    return vgg(small_conv_arch(ratio), fc_features // ratio, fc_hidden_units // ratio)


# ---------------------------------------------------------------- NiN

def nin_block(in_channels, out_channels, kernel_size, stride, padding):
    blk = nn.Sequential(nn.Conv2d(in_channels, out_channels, kernel_size, stride, padding),
                        nn.ReLU(),
                        nn.Conv2d(out_channels, out_channels, kernel_size=1),
                        nn.ReLU(),
                        nn.Conv2d(out_channels, out_channels, kernel_size=1),
                        nn.ReLU())
    return blk


def nin():
    return nn.Sequential(
        nin_block(1, 96, kernel_size=11, stride=4, padding=0),
        nn.MaxPool2d(kernel_size=3, stride=2),
        nin_block(96, 256, kernel_size=5, stride=1, padding=2),
        nn.MaxPool2d(kernel_size=3, stride=2),
        nin_block(256, 384, kernel_size=3, stride=1, padding=1),
        nn.MaxPool2d(kernel_size=3, stride=2),
        nn.Dropout(0.5),
        # 标签类别数是10
        nin_block(384, 10, kernel_size=3, stride=1, padding=1),
        GlobalAvgPool2d(),
        FlattenLayer())


# ---------------------------------------------------------------- GoogLeNet

class Inception(nn.Module):
    # c1 - c4为每条线路里的层的输出通道数
    def __init__(self, in_c, c1, c2, c3, c4):
        super(Inception, self).__init__()
        self.p1_1 = nn.Conv2d(in_c, c1, kernel_size=1)
        self.p2_1 = nn.Conv2d(in_c, c2[0], kernel_size=1)
        self.p2_2 = nn.Conv2d(c2[0], c2[1], kernel_size=3, padding=1)
        self.p3_1 = nn.Conv2d(in_c, c3[0], kernel_size=1)
        self.p3_2 = nn.Conv2d(c3[0], c3[1], kernel_size=5, padding=2)
        self.p4_1 = nn.MaxPool2d(kernel_size=3, stride=1, padding=1)
        self.p4_2 = nn.Conv2d(in_c, c4, kernel_size=1)

    def forward(self, x):
        p1 = F.relu(self.p1_1(x))
        p2 = F.relu(self.p2_2(F.relu(self.p2_1(x))))
        p3 = F.relu(self.p3_2(F.relu(self.p3_1(x))))
        p4 = F.relu(self.p4_2(self.p4_1(x)))
        return torch.cat((p1, p2, p3, p4), dim=1)  # 在通道维上连结输出


def googlenet():
    """The seed's GoogLeNet (note: the seed's b2 has no ReLU between its convs)."""
    b1 = nn.Sequential(nn.Conv2d(1, 64, kernel_size=7, stride=2, padding=3),
                       nn.ReLU(),
                       nn.MaxPool2d(kernel_size=3, stride=2, padding=1))

    b2 = nn.Sequential(nn.Conv2d(64, 64, kernel_size=1),
                       nn.Conv2d(64, 192, kernel_size=3, padding=1),
                       nn.MaxPool2d(kernel_size=3, stride=2, padding=1))

    b3 = nn.Sequential(Inception(192, 64, (96, 128), (16, 32), 32),
                       Inception(256, 128, (128, 192), (32, 96), 64),
                       nn.MaxPool2d(kernel_size=3, stride=2, padding=1))

    b4 = nn.Sequential(Inception(480, 192, (96, 208), (16, 48), 64),
                       Inception(512, 160, (112, 224), (24, 64), 64),
                       Inception(512, 128, (128, 256), (24, 64), 64),
                       Inception(512, 112, (144, 288), (32, 64), 64),
                       Inception(528, 256, (160, 320), (32, 128), 128),
                       nn.MaxPool2d(kernel_size=3, stride=2, padding=1))

    b5 = nn.Sequential(Inception(832, 256, (160, 320), (32, 128), 128),
                       Inception(832, 384, (192, 384), (48, 128), 128),
                       GlobalAvgPool2d())

    return nn.Sequential(b1, b2, b3, b4, b5, FlattenLayer(), nn.Linear(1024, 10))


# ---------------------------------------------------------------- registry

# name -> (constructor, the input size the seed uses for it)
MODELS = {
    'lenet': (lenet, 28),
    'lenet-relu': (lenet_relu, 28),
    'alexnet': (lambda: AlexNet(hidden_layers=1), 224),
    'alexnet2': (lambda: AlexNet(hidden_layers=2), 224),
    'vgg11': (vgg11, 224),  # full width (129M parameters): the seed's first, printed VGG
    'vgg11-8': (lambda: vgg11(8), 224),
    'vgg11-4': (lambda: vgg11(4), 224),
    'nin': (nin, 224),
    'googlenet': (googlenet, 96),
}


def _lookup(name):
    try:
        return MODELS[name]
    except KeyError:
        raise ValueError('unknown model %r; use one of: %s' % (name, ', '.join(MODELS))) from None


def build(name):
    """A freshly initialised model (PyTorch default init, current torch RNG)."""
    return _lookup(name)[0]()


def input_size(name):
    """The square input side the seed feeds this model."""
    return _lookup(name)[1]
