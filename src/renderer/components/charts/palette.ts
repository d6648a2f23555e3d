// One colour per run, indexed by RunSummary.colorIndex: the chart's lines and the runs list's swatches agree.
// Mid-tone hues that read on both the light and the dark background.
export const RUN_PALETTE = [
  '#4c6ef5', // blue
  '#f76707', // orange
  '#2f9e44', // green
  '#e03131', // red
  '#9c36b5', // purple
  '#1098ad', // teal
  '#e8a800', // amber
  '#d6336c', // pink
  '#74b816', // lime
  '#868e96', // grey
] as const;

export function runColor(colorIndex: number): string {
  const n = RUN_PALETTE.length;
  return RUN_PALETTE[((Math.trunc(colorIndex) % n) + n) % n];
}
