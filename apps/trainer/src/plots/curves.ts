/** curves.svg: train loss, train acc and test acc per epoch, as the book's Animator draws them. */
import type { TopLevelSpec } from 'vega-lite';
import { renderSvg } from './render.js';

export interface CurvePoint {
  epoch: number;
  loss: number;
  trainAcc: number;
  testAcc: number;
}

export function curvesSpec(history: readonly CurvePoint[], o: { title: string; epochs: number }): TopLevelSpec {
  const values = history.flatMap((m) => [
    { epoch: m.epoch, metric: 'train loss', value: m.loss },
    { epoch: m.epoch, metric: 'train acc', value: m.trainAcc },
    { epoch: m.epoch, metric: 'test acc', value: m.testAcc },
  ]);
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: o.title,
    width: 420,
    height: 260,
    background: 'white',
    data: { values },
    mark: { type: 'line', point: true },
    encoding: {
      x: {
        field: 'epoch',
        type: 'quantitative',
        title: 'epoch',
        scale: { domain: [1, Math.max(2, o.epochs)] },
        axis: { tickMinStep: 1, format: 'd' },
      },
      y: { field: 'value', type: 'quantitative', title: null, scale: { zero: true } },
      color: {
        field: 'metric',
        type: 'nominal',
        title: null,
        scale: { domain: ['train loss', 'train acc', 'test acc'], range: ['#1f77b4', '#bf00bf', '#2ca02c'] },
        legend: { orient: 'right' },
      },
      strokeDash: {
        field: 'metric',
        type: 'nominal',
        title: null,
        scale: { domain: ['train loss', 'train acc', 'test acc'], range: [[1, 0], [6, 4], [2, 2]] },
        legend: { orient: 'right' },
      },
      tooltip: [{ field: 'epoch' }, { field: 'metric' }, { field: 'value', format: '.4f' }],
    },
  };
}

export function renderCurves(history: readonly CurvePoint[], o: { title: string; epochs: number }): Promise<string> {
  return renderSvg(curvesSpec(history, o));
}
