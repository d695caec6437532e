import type { FusedAdamStep } from '@convnets/core';
import * as tf from '@tensorflow/tfjs-core';

/** The parts of tfjs-backend-webgpu 4.22's WebGPUBackend this kernel records through. */
interface TensorData {
  resource: unknown;
  values: unknown;
}
interface WebgpuBackendInternals {
  device: GPUDevice;
  commandEncoder: GPUCommandEncoder | null;
  computePassEncoder: GPUComputePassEncoder | null;
  dispatchCountInPass: number;
  commandQueueOwnedIds: WeakSet<object>;
  tensorMap: { get(dataId: object): TensorData };
  activeTimers?: { name: string; query: Promise<number> }[] | null;
  supportTimestampQuery: boolean;
  querySet: GPUQuerySet | null;
  querySetCount: number;
  refCount(dataId: object): number;
  uploadToGPU(dataId: object): void;
  makeTensorInfo(shape: number[], dtype: 'float32'): tf.TensorInfo;
  makeUniforms(uniforms: { type: 'float32' | 'uint32'; data: number[] }[]): GPUBufferBinding;
  ensureCommandEncoderReady(): void;
  endComputePassEncoder(): void;
  submitQueue(): void;
  getQueryTime(): Promise<number>;
}

const WORKGROUP = 256;
const MAX_GROUPS = 65535;

/**
 * One Adam step for one parameter in one dispatch (the op path takes 13), with m and v updated
 * where they live. The float32 operations are the op path's, in its order. Each thread walks the
 * parameter with a grid stride, so one dispatch covers AlexNet's 26M-weight dense layer.
 */
const SHADER = /* wgsl */ `
struct Scalars { moments : vec4<f32>, step : vec4<f32>, n : u32 };
@group(0) @binding(0) var<storage, read> p : array<f32>;
@group(0) @binding(1) var<storage, read> g : array<f32>;
@group(0) @binding(2) var<storage, read_write> m : array<f32>;
@group(0) @binding(3) var<storage, read_write> v : array<f32>;
@group(0) @binding(4) var<storage, read_write> out : array<f32>;
@group(0) @binding(5) var<uniform> s : Scalars;

@compute @workgroup_size(${WORKGROUP})
fn main(@builtin(global_invocation_id) id : vec3<u32>, @builtin(num_workgroups) groups : vec3<u32>) {
  let stride = groups.x * ${WORKGROUP}u;
  for (var i = id.x; i < s.n; i += stride) {
    let gi = g[i];
    let mi = m[i] * s.moments.x + gi * s.moments.y;
    let vi = v[i] * s.moments.z + (gi * gi) * s.moments.w;
    m[i] = mi;
    v[i] = vi;
    out[i] = p[i] - (mi * s.step.x) / (sqrt(vi) / s.step.y + s.step.z);
  }
}`;

const pipelines = new WeakMap<GPUDevice, GPUComputePipeline>();

function pipelineFor(device: GPUDevice): GPUComputePipeline {
  let pipeline = pipelines.get(device);
  if (!pipeline) {
    pipeline = device.createComputePipeline({ layout: 'auto', compute: { module: device.createShaderModule({ code: SHADER }), entryPoint: 'main' } });
    pipelines.set(device, pipeline);
  }
  return pipeline;
}

/**
 * fusedAdamStep on webgpu. Null (the op path) for moments whose buffer another tensor shares,
 * or a tensor that is not in a plain GPU buffer.
 */
export const fusedAdamStepWebgpu: FusedAdamStep = (p, g, m, v, s) => {
  const backend = tf.backend() as unknown as WebgpuBackendInternals;
  if (p.size === 0 || backend.refCount(m.dataId) !== 1 || backend.refCount(v.dataId) !== 1) return null;
  const tensors = [p, g, m, v];
  for (const t of tensors) backend.uploadToGPU(t.dataId);
  const buffers = tensors.map((t) => backend.tensorMap.get(t.dataId).resource);
  if (!buffers.every((b) => b instanceof GPUBuffer)) return null;
  const out = backend.makeTensorInfo(p.shape.slice(), 'float32');
  backend.uploadToGPU(out.dataId);
  const uniforms = backend.makeUniforms([
    { type: 'float32', data: [s.beta1, 1 - s.beta1, s.beta2, 1 - s.beta2] },
    { type: 'float32', data: [s.stepSize, s.bc2Sqrt, s.eps, 0] },
    { type: 'uint32', data: [p.size] },
  ]);
  const pipeline = pipelineFor(backend.device);
  const bindGroup = backend.device.createBindGroup({
    layout: pipeline.getBindGroupLayout(0),
    entries: [...buffers, backend.tensorMap.get(out.dataId).resource as GPUBuffer].map((buffer, binding) => ({ binding, resource: { buffer } })).concat({ binding: 5, resource: uniforms }),
  });
  record(backend, pipeline, bindGroup, Math.min(Math.ceil(p.size / WORKGROUP), MAX_GROUPS));
  for (const t of [...tensors, out]) backend.commandQueueOwnedIds.add(t.dataId);
  // m and v changed on the GPU: a copy read back earlier and cached on the CPU is stale now.
  backend.tensorMap.get(m.dataId).values = null;
  backend.tensorMap.get(v.dataId).values = null;
  return tf.engine().makeTensorFromTensorInfo(out);
};

/** Records one dispatch the way tfjs-webgpu's recordAndSubmit does (its pass, its batching, its timers). */
function record(backend: WebgpuBackendInternals, pipeline: GPUComputePipeline, bindGroup: GPUBindGroup, groups: number): void {
  const timed = backend.activeTimers != null;
  backend.ensureCommandEncoderReady();
  const encoder = backend.commandEncoder!;
  if (timed && backend.supportTimestampQuery) {
    backend.endComputePassEncoder();
    backend.querySet ??= backend.device.createQuerySet({ type: 'timestamp', count: backend.querySetCount });
    backend.computePassEncoder = encoder.beginComputePass({ timestampWrites: { querySet: backend.querySet, beginningOfPassWriteIndex: 0, endOfPassWriteIndex: 1 } });
  } else {
    backend.computePassEncoder ??= encoder.beginComputePass({});
  }
  const pass = backend.computePassEncoder;
  pass.setPipeline(pipeline);
  pass.setBindGroup(0, bindGroup);
  pass.dispatchWorkgroups(groups);
  backend.dispatchCountInPass++;
  if (timed || Number(tf.env().get('WEBGPU_DEFERRED_SUBMIT_BATCH_SIZE')) <= backend.dispatchCountInPass) {
    backend.endComputePassEncoder();
    if (timed) backend.activeTimers!.push({ name: 'FusedAdamProgram', query: backend.getQueryTime() });
    else backend.submitQueue();
  }
}
