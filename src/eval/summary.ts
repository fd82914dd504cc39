import { BASELINES } from './evalHarness.js';
import type { AggregatedModel } from './report.js';

/** One measured figure of the summary: a channel, a metric and the segment it is reported for. */
export interface SummaryCell {
  label: string;
  /** The channel the learned model is read on (merged is compared with the U2I baselines). */
  channel: 'u2i' | 'merged' | 'i2i' | 'u2u' | 'prequential';
  /** The channel the baselines are read on. */
  baselineChannel: 'u2i' | 'i2i' | 'u2u' | 'prequential';
  metric: string;
  /** The metric the baselines are read on, when it differs (the merged prequential against the baselines' one). */
  baselineMetric?: string;
}

export const SUMMARY_CELLS: readonly SummaryCell[] = [
  { label: 'U2I R@20', channel: 'u2i', baselineChannel: 'u2i', metric: 'recall@20' },
  { label: 'U2I R@20 warm', channel: 'u2i', baselineChannel: 'u2i', metric: 'recall@20/warm' },
  { label: 'U2I R@20 cold', channel: 'u2i', baselineChannel: 'u2i', metric: 'recall@20/cold' },
  { label: 'MERGED R@20', channel: 'merged', baselineChannel: 'u2i', metric: 'recall@20' },
  { label: 'MERGED R@20 warm', channel: 'merged', baselineChannel: 'u2i', metric: 'recall@20/warm' },
  { label: 'MERGED R@20 cold', channel: 'merged', baselineChannel: 'u2i', metric: 'recall@20/cold' },
  { label: 'I2I HR@20', channel: 'i2i', baselineChannel: 'i2i', metric: 'hr@20' },
  { label: 'U2U R@20', channel: 'u2u', baselineChannel: 'u2u', metric: 'recall@20' },
  { label: 'prequential HR@K', channel: 'prequential', baselineChannel: 'prequential', metric: 'hr' },
  { label: 'prequential MERGED HR@K', channel: 'prequential', baselineChannel: 'prequential', metric: 'merged/hr', baselineMetric: 'hr' },
  { label: 'prequential I2I HR@K', channel: 'prequential', baselineChannel: 'prequential', metric: 'i2i/hr' },
  { label: 'prequential U2U HR@K', channel: 'prequential', baselineChannel: 'prequential', metric: 'u2u/hr' },
];

export interface DatasetSummary {
  dataset: string;
  cells: {
    label: string;
    best: { model: string; value: number } | null;
    /** Each learned model's value and its ratio to the best baseline (null without a baseline or a value). */
    models: Record<string, { value: number; ratio: number | null }>;
  }[];
}

const isBaseline = (name: string) => (BASELINES as readonly string[]).includes(name);

/** Per dataset and figure: the best baseline, and every learned model's value and ratio to it. */
export function summarise(dataset: string, models: Record<string, AggregatedModel>): DatasetSummary {
  const cells = SUMMARY_CELLS.map((cell) => {
    let best: { model: string; value: number } | null = null;
    for (const [name, m] of Object.entries(models)) {
      const v = m.channels[cell.baselineChannel]?.[cell.baselineMetric ?? cell.metric];
      if (isBaseline(name) && v !== undefined && (!best || v > best.value)) best = { model: name, value: v };
    }
    const learned: Record<string, { value: number; ratio: number | null }> = {};
    for (const [name, m] of Object.entries(models)) {
      const v = m.channels[cell.channel]?.[cell.metric];
      if (isBaseline(name) || v === undefined) continue;
      learned[name] = { value: v, ratio: best && best.value > 0 ? v / best.value : null };
    }
    return { label: cell.label, best, models: learned };
  });
  return { dataset, cells };
}

/** The cross-dataset summary as Markdown: one table per learned model, datasets as rows, ratios to the best baseline. */
export function summaryMarkdown(summaries: readonly DatasetSummary[]): string {
  const learned = [...new Set(summaries.flatMap((s) => s.cells.flatMap((c) => Object.keys(c.models))))];
  const lines = ['# micstream eval: summary across datasets', ''];
  lines.push('Best baseline per figure (value, model):', '');
  lines.push(`| dataset | ${SUMMARY_CELLS.map((c) => c.label).join(' | ')} |`, `|---|${SUMMARY_CELLS.map(() => '---').join('|')}|`);
  for (const s of summaries)
    lines.push(`| ${s.dataset} | ${s.cells.map((c) => (c.best ? `${c.best.value.toFixed(4)} ${c.best.model}` : '—')).join(' | ')} |`);
  for (const model of learned) {
    lines.push('', `\`${model}\`: value (ratio to the best baseline)`, '');
    lines.push(`| dataset | ${SUMMARY_CELLS.map((c) => c.label).join(' | ')} |`, `|---|${SUMMARY_CELLS.map(() => '---').join('|')}|`);
    for (const s of summaries) {
      const cells = s.cells.map((c) => {
        const v = c.models[model];
        if (!v) return '—';
        return v.ratio === null ? v.value.toFixed(4) : `${v.value.toFixed(4)} (${v.ratio.toFixed(2)}x)`;
      });
      lines.push(`| ${s.dataset} | ${cells.join(' | ')} |`);
    }
  }
  return `${lines.join('\n')}\n`;
}
