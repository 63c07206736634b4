/** Editor markers as the problems list shows them, errors first, then by position. */

export interface Problem {
  severity: 'error' | 'warning' | 'info';
  message: string;
  line: number;
  column: number;
}

/** Monaco's MarkerSeverity values; hints (1, e.g. "may be converted to an ES module") are not problems. */
const SEVERITY: Record<number, Problem['severity']> = { 8: 'error', 4: 'warning', 2: 'info' };

export function toProblems(
  markers: ReadonlyArray<{ severity: number; message: string; startLineNumber: number; startColumn: number }>,
): Problem[] {
  const rank = { error: 0, warning: 1, info: 2 };
  return markers
    .filter((marker) => SEVERITY[marker.severity] !== undefined)
    .map((marker) => ({
      severity: SEVERITY[marker.severity] ?? 'info',
      message: marker.message,
      line: marker.startLineNumber,
      column: marker.startColumn,
    }))
    .sort((a, b) => rank[a.severity] - rank[b.severity] || a.line - b.line || a.column - b.column);
}

export function problemSummary(problems: readonly Problem[]): string {
  const errors = problems.filter((p) => p.severity === 'error').length;
  const warnings = problems.filter((p) => p.severity === 'warning').length;
  if (errors === 0 && warnings === 0) return 'No problems';
  const parts = [];
  if (errors > 0) parts.push(`${errors} ${errors === 1 ? 'error' : 'errors'}`);
  if (warnings > 0) parts.push(`${warnings} ${warnings === 1 ? 'warning' : 'warnings'}`);
  return parts.join(', ');
}
