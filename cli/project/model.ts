/** An actions-as-code project once read: what push compares with the server. */
import type { Dependency, TriggerRef } from '../../shared/client/index.ts';

export interface ProjectSecret {
  name: string;
  /** Absent: keep the value the server has (a value-less declaration, a mask, or a keyword with no value). */
  value?: string;
  /** The keyword that would have given the value, when it had none (for the error on a new secret). */
  missingKeyword?: string;
}

export interface ProjectAction {
  name: string;
  /** The action's JSON file, relative to the project root (for messages). */
  file: string;
  /** Absent when the JSON names no code file: the server keeps (or templates) the code. */
  code?: string;
  trigger: TriggerRef;
  runtime?: string;
  /** Absent: the project does not manage this field. */
  dependencies?: Dependency[];
  secrets?: ProjectSecret[];
  /** Actions Module versions pinned by name and number, as the Deploy CLI writes them. */
  modules?: Array<{ module_name: string; module_version_number: number }>;
  /** The Deploy CLI flag: deploy this action after it changes. */
  deployed: boolean;
}

/** An Actions Module of the project (`action-modules/<name>.json` and its code). */
export interface ProjectModule {
  name: string;
  /** The module's JSON file, relative to the project root (for messages). */
  file: string;
  code: string;
  /** Absent: the project does not manage this field. */
  dependencies?: Dependency[];
  secrets?: ProjectSecret[];
}

export interface ProjectBinding {
  action_name: string;
  display_name?: string;
}

export interface Project {
  root: string;
  /** False when the project has no actions/ folder or excludes actions: push then leaves them alone. */
  managesActions: boolean;
  actions: ProjectAction[];
  /** False when the project has no action-modules/ folder or excludes it: push leaves modules alone. */
  managesModules: boolean;
  modules: ProjectModule[];
  /** Ordered bindings per trigger; absent when the project has no triggers/triggers.json. */
  triggers?: Map<string, ProjectBinding[]>;
  warnings: string[];
}

/** Deploy CLI's file-name sanitising: characters not allowed in file names become '-'. */
export function sanitizeName(name: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed.
  const cleaned = name.replace(/[/\\?%*:|"<>\u0000-\u001f\u0080-\u009f]/g, '-').replace(/^\.+$/, '-');
  return cleaned.slice(0, 255) || '-';
}
