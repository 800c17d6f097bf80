import { ConfigError } from '../errors.js';

/**
 * What the offsets in a checkpoint mean: the source type and the options that decide which rows an offset stands for
 * (the rate source's offset is seconds since its start, so its rows depend on rowsPerSecond; the file source's is a
 * file name in `path`). Recorded in `metadata` on the first run; a later run with another type or other values is
 * refused, as Spark refuses to change the type of a source or the topic or files it subscribes to: continuing would
 * read rows a second time or skip them. Options that do not change what an offset means (a batch size) are not part
 * of it and may change freely.
 */
export interface SourceIdentity {
  type: string;
  options: Record<string, unknown>;
}

/**
 * Throws a ConfigError naming the checkpoint and what changed, when `current` cannot go on from `recorded`; `which`
 * names the source in messages (`union source 2` for a union branch's).
 */
export function checkSourceIdentity(dir: string, recorded: SourceIdentity, current: SourceIdentity, which = 'source'): void {
  const fresh = `give the job a new checkpointLocation (or delete ${dir}) to start it from scratch`;
  if (recorded.type !== current.type) {
    throw ConfigError.single({
      ...(which === 'source' ? { path: 'source.type' } : {}),
      message:
        `checkpoint ${dir} was written by a '${recorded.type}' ${which}, the job now reads a '${current.type}' ${which}. ` +
        `The offsets in the checkpoint are positions in the '${recorded.type}' source and mean nothing to a '${current.type}' ` +
        `source (Spark refuses a change of source type too). Put the '${recorded.type}' source back, or ${fresh}.`,
    });
  }
  const keys = [...new Set([...Object.keys(recorded.options), ...Object.keys(current.options)])];
  const changed = keys.filter((k) => JSON.stringify(recorded.options[k]) !== JSON.stringify(current.options[k]));
  if (changed.length === 0) return;
  const show = (v: unknown) => (v === undefined ? '(not set)' : JSON.stringify(v));
  const what = changed.map((k) => `${k} was ${show(recorded.options[k])}, is now ${show(current.options[k])}`).join('; ');
  throw ConfigError.single({
    ...(which === 'source' ? { path: `source.${changed[0]}` } : {}),
    message:
      `checkpoint ${dir} was written by the '${recorded.type}' ${which} with other options: ${what}. These options decide ` +
      'which rows an offset stands for, so going on from the recorded offsets would read rows again (duplicates) or skip ' +
      `them. Put the recorded values back, or ${fresh}.`,
  });
}
