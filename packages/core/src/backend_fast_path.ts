import * as tf from '@tensorflow/tfjs-core';

/**
 * One fused operation's implementations, one per backend, chosen by the backend tfjs runs on.
 * Core defines the operation and its contract; `@convnets/backends` registers the
 * implementations when a backend's subpath is imported. Where none is registered the caller
 * takes its tfjs-op path.
 */
export class BackendFastPath<F> {
  private readonly byBackend = new Map<string, F>();

  register(backendName: string, impl: F): void {
    this.byBackend.set(backendName, impl);
  }

  /** The implementation for the backend tfjs runs on now, if one is registered. */
  current(): F | undefined {
    return this.byBackend.get(tf.getBackend());
  }
}
