// ECharts, trimmed to the charts and components the dashboard uses, with one visual theme.
import * as echarts from 'echarts/core';
import { BarChart, LineChart, ScatterChart } from 'echarts/charts';
import { GridComponent, TooltipComponent, AriaComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([BarChart, LineChart, ScatterChart, GridComponent, TooltipComponent, AriaComponent, CanvasRenderer]);

export const COLORS = {
  primary: '#2563eb',
  primarySoft: '#93b4f5',
  ok: '#0e9f6e',
  warn: '#d97706',
  danger: '#dc2626',
  dangerSoft: '#f3a5a5',
  ink: '#0f172a',
  muted: '#64748b',
  grid: '#e7ebf0',
  revenue: '#7c3aed',
};

const FONT = 'Inter, "Segoe UI", system-ui, -apple-system, Roboto, "Helvetica Neue", Arial, sans-serif';

export const baseOption = {
  // Live charts redraw twice a second: no update animation (it would cross-fade axis labels).
  animationDuration: 300,
  animationDurationUpdate: 0,
  textStyle: { fontFamily: FONT, color: COLORS.ink },
  tooltip: {
    trigger: 'axis',
    confine: true,
    backgroundColor: '#0f172a',
    borderWidth: 0,
    textStyle: { color: '#f8fafc', fontSize: 12, fontFamily: FONT },
    axisPointer: { type: 'shadow', shadowStyle: { color: 'rgba(37,99,235,0.06)' } },
  },
  aria: { enabled: true },
};

export function axisName(name) {
  return { name, nameTextStyle: { color: COLORS.muted, fontSize: 11, fontWeight: 500 } };
}

export const valueAxisStyle = {
  axisLine: { show: false },
  axisTick: { show: false },
  splitLine: { lineStyle: { color: COLORS.grid } },
  axisLabel: { color: COLORS.muted, fontSize: 11 },
};

export const categoryAxisStyle = {
  axisLine: { lineStyle: { color: '#cbd5e1' } },
  axisTick: { show: false },
  axisLabel: { color: '#334155', fontSize: 11 },
};

// Creates a chart in `el` that follows the element's size.
export function createChart(el) {
  const chart = echarts.init(el, null, { renderer: 'canvas' });
  const ro = new ResizeObserver(() => chart.resize());
  ro.observe(el);
  return {
    chart,
    set(option, opts) {
      chart.setOption(option, opts);
    },
    dispose() {
      ro.disconnect();
      chart.dispose();
    },
  };
}
