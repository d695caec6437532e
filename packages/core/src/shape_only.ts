/**
 * Building a network for its shapes only: inside buildShapeOnly, Conv2d, Linear and
 * BatchNorm2d create parameters that have a shape and no tensor (no random draws, no
 * memory), so a summary of VGG-11's 129M parameters costs nothing. Such a network can
 * report shapes and parameter counts; running it throws.
 */
let depth = 0;

export function buildShapeOnly<T>(build: () => T): T {
  depth++;
  try {
    return build();
  } finally {
    depth--;
  }
}

/** Whether the code runs inside buildShapeOnly (layers check it when they create parameters). */
export function buildingShapeOnly(): boolean {
  return depth > 0;
}
