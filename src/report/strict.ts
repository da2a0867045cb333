/** What --strict refuses: the same rule for a build that did work and one that found nothing changed. */
import type { RuleId, Warning } from '../core/warning.ts';
import type { LoadedSources } from '../sources/load.ts';

/** Why --strict refuses to publish, or undefined: any warning of a rule not allowed, a failed or a stale repository. */
export function strictVerdict(sources: LoadedSources, warnings: readonly Warning[], allowRules: readonly RuleId[]): string | undefined {
  const allowed = new Set<string>(allowRules);
  const failing = warnings.filter((w) => !allowed.has(w.ruleId)).length;
  const { failed, stale } = sources;
  if (!failing && !failed.length && !stale.length) return undefined;
  const allowedCount = warnings.length - failing;
  return `--strict: ${failing} warnings${allowedCount ? ` (and ${allowedCount} of allowed rules)` : ''}, ${failed.length} failed repositories${stale.length ? `, ${stale.length} stale (cached copies)` : ''}`;
}
