import { ConfigError } from '../../core/errors.js';
import type { ComponentConfig } from '../../config/load-job.js';
import { dottedPath } from '../../config/yaml-file.js';

/** What cannot be written in PySpark: a config error (exit 2) naming the component, where it is and why. */
export function refuse(component: Pick<ComponentConfig, 'yaml' | 'path'>, message: string): never {
  const where = component.yaml.locate(component.path);
  throw ConfigError.single({
    file: component.yaml.file,
    path: dottedPath(component.path),
    ...where,
    message: `cannot export to PySpark: ${message}`,
  });
}
