/** confusion.svg: the test set's confusion matrix (true class x predicted class) as a heatmap. */
import type { TopLevelSpec } from 'vega-lite';
import { renderSvg } from './render.js';

export function confusionSpec(confusion: readonly (readonly number[])[], classes: readonly string[], title: string): TopLevelSpec {
  const values: { true: string; predicted: string; count: number; rate: number }[] = [];
  confusion.forEach((row, t) => {
    const total = row.reduce((a, b) => a + b, 0);
    row.forEach((count, p) => values.push({ true: classes[t], predicted: classes[p], count, rate: total ? count / total : 0 }));
  });
  const order = [...classes];
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    background: 'white',
    width: 360,
    height: 360,
    data: { values },
    encoding: {
      x: { field: 'predicted', type: 'nominal', sort: order, title: 'predicted', axis: { labelAngle: -40 } },
      y: { field: 'true', type: 'nominal', sort: order, title: 'true class' },
    },
    layer: [
      {
        mark: { type: 'rect' },
        encoding: {
          color: { field: 'rate', type: 'quantitative', title: 'share of row', scale: { scheme: 'blues', domain: [0, 1] } },
          tooltip: [{ field: 'true' }, { field: 'predicted' }, { field: 'count' }, { field: 'rate', format: '.3f' }],
        },
      },
      {
        mark: { type: 'text', fontSize: 9 },
        encoding: {
          text: { field: 'count', type: 'quantitative' },
          color: { condition: { test: 'datum.rate > 0.5', value: 'white' }, value: 'black' },
        },
      },
    ],
  };
}

export function renderConfusion(confusion: readonly (readonly number[])[], classes: readonly string[], title: string): Promise<string> {
  return renderSvg(confusionSpec(confusion, classes, title));
}
