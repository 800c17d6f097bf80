/**
 * A bench file's sink options checked against the sink's own schema at load time, with its profile merged in as in
 * a job, so a misspelt option is reported with its file and line before anything connects. What the bench target
 * adds per run (table, measurement, path) is not in the file: a required option that is absent is the target's job,
 * not an error here.
 */
import type { z } from 'zod';
import type { SinkDefinition } from '../component/definition.js';
import type { ConfigProblem } from '../core/errors.js';
import { type CheckContext, loadProfile, secretsAsText } from '../config/load-job.js';
import type { PathSegment, YamlFile } from '../config/yaml-file.js';

export interface SinkOptionsToCheck {
  definition: SinkDefinition;
  profile: string | undefined;
  /** Where `profile:` is written (or the entry, when the profile is the target's default). */
  profilePath: PathSegment[];
  /** The target's defaults, under the profile's options. */
  defaults: Record<string, unknown>;
  /** The options written in the bench file, and where. */
  own: Record<string, unknown>;
  ownPath: PathSegment[];
  /** One swept option at one value, checked in place of `own[key]`, reported at `path`. */
  swept?: { key: string; value: unknown; path: PathSegment[] };
}

/** Pushes every problem of these options to `ctx.problems`. */
export function checkSinkOptions(check: SinkOptionsToCheck, yaml: YamlFile, ctx: CheckContext): void {
  let fromProfile: Record<string, unknown> = {};
  let profileFile: YamlFile | undefined;
  if (check.profile) {
    profileFile = loadProfile(check.profile, check.definition.type, check.profilePath, ctx);
    if (!profileFile) return;
    const { type: _type, ...options } = (profileFile.value ?? {}) as Record<string, unknown>;
    fromProfile = options;
  }
  const own = check.swept ? { ...check.own, [check.swept.key]: check.swept.value } : check.own;
  const merged = { ...check.defaults, ...fromProfile, ...own };
  const result = (check.definition.options as z.ZodType).safeParse(secretsAsText(check.definition, merged));
  if (result.success) return;

  const placeOf = (path: PathSegment[], message: string): ConfigProblem => {
    const key = String(path[0]);
    if (check.swept && key === check.swept.key) return yaml.problem([...check.swept.path, ...path.slice(1)], message);
    if (key in own) return yaml.problem([...check.ownPath, ...path], message);
    if (profileFile && key in fromProfile) return profileFile.problem(path, message);
    return yaml.problem(check.ownPath, `${message} (an option the bench target sets: ${key})`);
  };
  for (const issue of result.error.issues) {
    const path = issue.path as PathSegment[];
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        if (check.swept && key !== check.swept.key) continue;
        ctx.problems.push(
          placeOf(
            [...path, key],
            `unknown option '${key}' of sink '${check.definition.type}' (allowed: ${optionKeys(check.definition).join(', ')})`,
          ),
        );
      }
      continue;
    }
    // Absent options (table, measurement, path...) come from the bench target per run; a whole-object rule may need them.
    if (path.length === 0 || !(String(path[0]) in merged)) continue;
    if (check.swept && String(path[0]) !== check.swept.key) continue;
    ctx.problems.push(placeOf(path, issue.message));
  }
}

function optionKeys(definition: SinkDefinition): string[] {
  return Object.keys((definition.options as unknown as { shape?: object }).shape ?? {});
}
