import * as tf from '@tensorflow/tfjs-core';
import type { KernelFunc } from '@tensorflow/tfjs-core';

/** Makes one kernel for `backendName`, given the kernel tfjs shipped under that name (if any). */
export type KernelFactory = (backendName: string, stock?: KernelFunc) => KernelFunc;

const defined = new Map<string, Record<string, KernelFactory>>();
const registered = new Set<string>();
const stock = new Map<string, KernelFunc>();

/**
 * Declares the kernels a backend's subpath (`@convnets/backends/wasm`, `/cpu`, `/webgpu`) puts
 * in place of tfjs's, and registers them at once when tfjs's backend package is loaded. Only
 * the subpaths that are imported define theirs, so an app bundles only its backends' kernels.
 */
export function defineTrainingKernels(backendName: string, factories: Record<string, KernelFactory>): void {
  if (!defined.has(backendName)) defined.set(backendName, factories);
  registerTrainingKernels([backendName]);
}

/** The kernels registerTrainingKernels replaces or adds on a backend (none until its subpath is imported). */
export function trainingKernelNames(backendName: string): string[] {
  return Object.keys(defined.get(backendName) ?? {});
}

/** The kernel tfjs shipped before registerTrainingKernels replaced it (undefined: none). */
export function stockKernel(kernelName: string, backendName: string): KernelFunc | undefined {
  if (registered.has(backendName)) return stock.get(`${backendName}/${kernelName}`);
  return tf.getKernel(kernelName, backendName)?.kernelFunc;
}

/**
 * Puts tfjs's own kernels back in place of convnets' (every one `backendName` has by default),
 * for measurements side by side: the bench's `*-stock` rows, kernel A/B scripts. A kernel tfjs
 * does not ship (wasm's Conv2DBackpropFilter) is left unregistered, as tfjs has it.
 */
export function restoreStockKernels(backendName: string, kernelNames: readonly string[] = trainingKernelNames(backendName)): void {
  for (const kernelName of kernelNames) {
    const kernelFunc = stockKernel(kernelName, backendName);
    tf.unregisterKernel(kernelName, backendName);
    if (kernelFunc) tf.registerKernel({ kernelName, backendName, kernelFunc });
  }
}

/**
 * Registers the training kernels defined for the given backends (default: every backend whose
 * subpath is imported): convolution gradients built from the backend's forward convolution,
 * replacing cpu's slow loops and adding wasm's missing Conv2DBackpropFilter. Idempotent.
 * Backends whose tfjs package is not loaded yet are skipped (call again after loading;
 * useBackend does). Returns the backends that now have them.
 */
export function registerTrainingKernels(backends: readonly string[] = [...defined.keys()]): string[] {
  const done: string[] = [];
  for (const backendName of backends) {
    const factories = defined.get(backendName);
    if (!factories) continue;
    if (!registered.has(backendName)) {
      if (!tf.getKernel('Conv2D', backendName)) continue;
      for (const [kernelName, make] of Object.entries(factories)) {
        const previous = tf.getKernel(kernelName, backendName);
        if (previous) {
          stock.set(`${backendName}/${kernelName}`, previous.kernelFunc);
          tf.unregisterKernel(kernelName, backendName);
        }
        // setupFunc binds the stock kernel's wasm function when the backend starts; a wrapper
        // that calls the stock kernel needs it kept.
        tf.registerKernel({ kernelName, backendName, kernelFunc: make(backendName, previous?.kernelFunc), setupFunc: previous?.setupFunc });
      }
      registered.add(backendName);
    }
    done.push(backendName);
  }
  return done;
}
