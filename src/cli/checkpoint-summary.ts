import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** What `streamlab reset` is about to delete: its files, their size, and the last batch the checkpoint committed. */
export interface CheckpointSummary {
  files: number;
  bytes: number;
  /** The highest batch id in commits/, undefined when no batch was committed. */
  lastCommittedBatch?: number;
}

export function summarizeCheckpoint(dir: string): CheckpointSummary {
  const summary: CheckpointSummary = { files: 0, bytes: 0 };
  const walk = (path: string) => {
    for (const entry of readdirSync(path, { withFileTypes: true })) {
      const child = join(path, entry.name);
      if (entry.isDirectory()) walk(child);
      else {
        summary.files++;
        summary.bytes += statSync(child).size;
      }
    }
  };
  walk(dir);
  const commits = join(dir, 'commits');
  const ids = existsSync(commits)
    ? readdirSync(commits)
        .filter((f) => /^\d+$/.test(f))
        .map(Number)
    : [];
  if (ids.length > 0) summary.lastCommittedBatch = Math.max(...ids);
  return summary;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
