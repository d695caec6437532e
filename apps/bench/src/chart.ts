/** The training-throughput chart: vega-lite → vega → SVG (no canvas needed). */
import * as vega from 'vega';
import * as vl from 'vega-lite';
import type { BenchRow } from './row.js';

export async function trainingChartSvg(rows: readonly BenchRow[], title: string): Promise<string | null> {
  const values = rows
    .filter((r) => r.trainImgPerSec != null && r.trainImgPerSec > 0)
    .map((r) => ({ model: `${r.model} (b${r.batchSize})`, series: `${r.impl} ${r.backend}`, imgPerSec: r.trainImgPerSec }));
  if (values.length === 0) return null;
  const spec: vl.TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    data: { values },
    width: { step: 14 },
    height: 260,
    mark: 'bar',
    encoding: {
      x: { field: 'model', type: 'nominal', title: null, axis: { labelAngle: 0 } },
      xOffset: { field: 'series', type: 'nominal' },
      y: { field: 'imgPerSec', type: 'quantitative', scale: { type: 'log' }, title: 'training images/s (log)' },
      color: { field: 'series', type: 'nominal', title: 'impl backend' },
      tooltip: [{ field: 'series' }, { field: 'imgPerSec', format: '.1f' }],
    },
    config: { background: 'white' },
  };
  const compiled = vl.compile(spec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  return svg;
}
