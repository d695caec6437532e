/**
 * Software GPUs: SwiftShader, llvmpipe and friends run WebGPU/WebGL correctly but on the CPU,
 * slower than wasm. `auto` skips them; these helpers tell them apart from hardware.
 */

const SOFTWARE = /swiftshader|llvmpipe|lavapipe|softpipe|software|microsoft basic render/i;

/** True when an adapter or renderer string names a software implementation. */
export function isSoftwareRenderer(text: string): boolean {
  return SOFTWARE.test(text);
}

export interface WebglRendererInfo {
  vendor: string;
  renderer: string;
  software: boolean;
}

/** The parts of a WebGL context this module reads. */
export interface WebglLike {
  getExtension(name: string): unknown;
  getParameter(pname: number): unknown;
}

const GL_VENDOR = 0x1f00;
const GL_RENDERER = 0x1f01;
const UNMASKED_VENDOR_WEBGL = 0x9245;
const UNMASKED_RENDERER_WEBGL = 0x9246;

/** Vendor and renderer of a context; unmasked through WEBGL_debug_renderer_info when offered. */
export function webglRendererInfo(gl: WebglLike): WebglRendererInfo {
  const debug = gl.getExtension('WEBGL_debug_renderer_info');
  const vendor = String(gl.getParameter(debug ? UNMASKED_VENDOR_WEBGL : GL_VENDOR) ?? '');
  const renderer = String(gl.getParameter(debug ? UNMASKED_RENDERER_WEBGL : GL_RENDERER) ?? '');
  return { vendor, renderer, software: isSoftwareRenderer(`${vendor} ${renderer}`) };
}

/**
 * Opens a throwaway WebGL context (OffscreenCanvas in workers, a canvas in pages) and reads its
 * renderer; null when there is no WebGL here. The context is released at once.
 */
export function probeWebglRenderer(): WebglRendererInfo | null {
  let canvas: { getContext(kind: string): unknown } | undefined;
  if (typeof OffscreenCanvas !== 'undefined') canvas = new OffscreenCanvas(1, 1) as unknown as typeof canvas;
  else if (typeof document !== 'undefined') canvas = document.createElement('canvas');
  if (!canvas) return null;
  const gl = (canvas.getContext('webgl2') ?? canvas.getContext('webgl')) as WebglLike | null;
  if (!gl) return null;
  const info = webglRendererInfo(gl);
  (gl.getExtension('WEBGL_lose_context') as { loseContext(): void } | null)?.loseContext();
  return info;
}
