import type { Page } from 'playwright-core';

/** Strokes a T-shirt-ish shape on the pad. */
export async function draw(page: Page): Promise<void> {
  const canvas = page.locator('[data-testid=draw-canvas]');
  await canvas.scrollIntoViewIfNeeded();
  const box = await canvas.boundingBox();
  if (!box) throw new Error('no draw canvas');
  const at = (fx: number, fy: number) => [box.x + fx * box.width, box.y + fy * box.height] as const;
  const strokes: [number, number][][] = [
    [[0.3, 0.25], [0.7, 0.25], [0.85, 0.4], [0.75, 0.45], [0.68, 0.38], [0.68, 0.8], [0.32, 0.8], [0.32, 0.38], [0.25, 0.45], [0.15, 0.4], [0.3, 0.25]],
    [[0.4, 0.4], [0.6, 0.4], [0.6, 0.7], [0.4, 0.7], [0.4, 0.4]],
  ];
  for (const s of strokes) {
    await page.mouse.move(...at(...s[0]));
    await page.mouse.down();
    for (const p of s.slice(1)) await page.mouse.move(...at(...p), { steps: 6 });
    await page.mouse.up();
  }
}
