import { describe, expect, it } from 'vitest';
import { isSoftwareRenderer, webglRendererInfo, type WebglLike } from './software_adapter.js';

function fakeGl(params: Record<number, string>, debugExtension: boolean): WebglLike {
  return {
    getExtension: (name) => (name === 'WEBGL_debug_renderer_info' && debugExtension ? {} : null),
    getParameter: (p) => params[p],
  };
}

describe('software adapter detection', () => {
  it('names SwiftShader, llvmpipe and lavapipe as software, real GPUs as hardware', () => {
    for (const s of ['ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)', 'llvmpipe (LLVM 15.0.6, 256 bits)', 'google swiftshader', 'lavapipe', 'Microsoft Basic Render Driver']) {
      expect(isSoftwareRenderer(s), s).toBe(true);
    }
    for (const s of ['ANGLE (NVIDIA, NVIDIA GeForce RTX 3080 Direct3D11 vs_5_0 ps_5_0)', 'Apple M2', 'nvidia ampere', 'Mesa Intel(R) UHD Graphics 620 (KBL GT2)']) {
      expect(isSoftwareRenderer(s), s).toBe(false);
    }
  });

  it('reads the unmasked renderer through WEBGL_debug_renderer_info', () => {
    const gl = fakeGl({ 0x1f00: 'WebKit', 0x1f01: 'WebKit WebGL', 0x9245: 'Google Inc. (Google)', 0x9246: 'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero)), SwiftShader driver)' }, true);
    expect(webglRendererInfo(gl)).toEqual({ vendor: 'Google Inc. (Google)', renderer: 'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero)), SwiftShader driver)', software: true });
  });

  it('falls back to the plain RENDERER when the extension is missing', () => {
    const gl = fakeGl({ 0x1f00: 'Mesa', 0x1f01: 'llvmpipe (LLVM 15.0.6, 256 bits)', 0x9246: 'never read' }, false);
    expect(webglRendererInfo(gl)).toEqual({ vendor: 'Mesa', renderer: 'llvmpipe (LLVM 15.0.6, 256 bits)', software: true });
    expect(webglRendererInfo(fakeGl({ 0x9245: 'NVIDIA Corporation', 0x9246: 'NVIDIA GeForce RTX 3080/PCIe/SSE2' }, true)).software).toBe(false);
  });
});
