/**
 * What every chart shares: palette, font, white background (the SVGs go into READMEs on dark pages too), no
 * animation (the SVG and a screenshot show the final state), title and legend placement.
 */
import type { EChartsOption } from 'echarts';

export const PALETTE = ['#2563a8', '#e0782f', '#2f9a5a', '#c23b3b', '#7d5bbf', '#8a6d2f', '#cf5a9a', '#52606d'];
/** The baseline's colour: grey, so the sink's bars stand out beside it. */
export const BASELINE_COLOR = '#9aa5b1';
export const INK = '#1f2933';
/** Unquoted family names: ECharts' SVG output puts the font into a double-quoted style attribute without escaping. */
export const FONT = 'system-ui, -apple-system, Segoe UI, Roboto, Helvetica Neue, Arial, sans-serif';

/** The size of the SVG files; in the page the charts take the width of the column. */
export const SVG_SIZE = { width: 960, height: 480 };

export function baseOption(title: string, subtitle: string): EChartsOption {
  return {
    animation: false,
    backgroundColor: '#ffffff',
    color: PALETTE,
    textStyle: { fontFamily: FONT, color: INK },
    title: { text: title, subtext: subtitle, left: 16, top: 8, textStyle: { fontSize: 16 }, subtextStyle: { color: '#52606d' } },
    // A wide gap: ECharts in Node estimates text widths, and a narrow one lets SVG legend entries overlap.
    legend: { top: 58, left: 16, right: 16, type: 'scroll', itemGap: 28 },
    tooltip: { trigger: 'item', confine: true },
  };
}
