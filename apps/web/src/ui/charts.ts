/** Live loss/accuracy charts (Chart.js), per step and per epoch, on one step axis. */
import { Chart, Filler, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip, type ChartDataset } from 'chart.js';

Chart.register(LineController, LineElement, PointElement, LinearScale, Legend, Tooltip, Filler);
Chart.defaults.font.family = getComputedStyle(document.documentElement).getPropertyValue('--font').trim() || 'system-ui, sans-serif';
Chart.defaults.color = '#5b6478';

type Pt = { x: number; y: number };

const COLORS = { step: '#7aa7ff', epoch: '#1f4fd1', train: '#17a673', test: '#e0602b' };

function line(label: string, color: string, opts: Partial<ChartDataset<'line', Pt[]>> = {}): ChartDataset<'line', Pt[]> {
  return { label, data: [], borderColor: color, backgroundColor: color, borderWidth: 1.5, pointRadius: 0, tension: 0.2, ...opts };
}

function make(canvas: HTMLCanvasElement, datasets: ChartDataset<'line', Pt[]>[], y: { min?: number; max?: number; title: string }): Chart<'line', Pt[]> {
  return new Chart<'line', Pt[]>(canvas, {
    type: 'line',
    data: { datasets },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      parsing: false,
      normalized: true,
      interaction: { mode: 'nearest', intersect: false },
      plugins: { legend: { position: 'bottom', labels: { boxWidth: 12, boxHeight: 2, padding: 14 } } },
      scales: {
        x: { type: 'linear', title: { display: true, text: 'step' }, grid: { color: '#eef0f5' }, ticks: { precision: 0 } },
        y: { type: 'linear', min: y.min, max: y.max, title: { display: true, text: y.title }, grid: { color: '#eef0f5' } },
      },
    },
  });
}

export class TrainingCharts {
  private loss: Chart<'line', Pt[]>;
  private acc: Chart<'line', Pt[]>;
  private pending = false;

  constructor(lossCanvas: HTMLCanvasElement, accCanvas: HTMLCanvasElement) {
    this.loss = make(
      lossCanvas,
      [line('loss per step', COLORS.step), line('loss per epoch', COLORS.epoch, { borderWidth: 2.5, pointRadius: 4 })],
      { min: 0, title: 'cross-entropy' },
    );
    this.acc = make(
      accCanvas,
      [
        line('train acc per step', COLORS.step),
        line('train acc per epoch', COLORS.train, { borderWidth: 2.5, pointRadius: 4 }),
        line('test acc per epoch', COLORS.test, { borderWidth: 2.5, pointRadius: 4 }),
      ],
      { min: 0, max: 1, title: 'accuracy' },
    );
  }

  reset(): void {
    for (const c of [this.loss, this.acc]) for (const d of c.data.datasets) d.data = [];
    this.schedule();
  }

  step(x: number, loss: number | undefined, acc: number | undefined): void {
    if (loss !== undefined && Number.isFinite(loss)) this.loss.data.datasets[0].data.push({ x, y: loss });
    if (acc !== undefined && Number.isFinite(acc)) this.acc.data.datasets[0].data.push({ x, y: acc });
    this.schedule();
  }

  epoch(x: number, loss: number, trainAcc: number, testAcc: number): void {
    this.loss.data.datasets[1].data.push({ x, y: loss });
    this.acc.data.datasets[1].data.push({ x, y: trainAcc });
    this.acc.data.datasets[2].data.push({ x, y: testAcc });
    this.schedule();
  }

  private schedule(): void {
    if (this.pending) return;
    this.pending = true;
    requestAnimationFrame(() => {
      this.pending = false;
      this.loss.update('none');
      this.acc.update('none');
    });
  }
}
