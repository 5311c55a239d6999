import { translatorOf, type Lang } from './fill.js';

/** What made a process a BBIA process. */
export type WhyCode = 'launcher' | 'script' | 'app' | 'module' | 'console' | 'pytestIn' | 'pytestOn' | 'viewer' | 'worker' | 'rule' | 'child' | 'group' | 'instance';

/** Why one process is listed: the rule that matched and what it matched on. */
export interface Why {
  /** The rule. */
  code: WhyCode;
  /** The script, module, app, folder or pattern it matched. */
  what?: string;
  /** The runner of an app (`uvicorn`), or the kind of the BBIA parent. */
  by?: string;
  /** The BBIA parent's PID, for a descendant. */
  pid?: number;
}

const en: Record<WhyCode, string> = {
  launcher: "the robot's launcher {what}",
  script: 'script {what} in the project',
  app: "{by} serving the project's app {what}",
  module: 'module {what} of the project',
  console: 'console script {what} of the project',
  pytestIn: 'pytest in the project ({what})',
  pytestOn: 'pytest on {what} in the project',
  viewer: "MuJoCo's viewer on {what} of the project",
  worker: 'a multiprocessing worker in the project',
  rule: 'matches the rule "{what}" of the settings',
  child: 'child of BBIA process {pid} ({by})',
  group: 'in the process group of BBIA process {pid} ({by}), which has ended',
  instance: "part of the instance's tree",
};

const fr: Record<WhyCode, string> = {
  launcher: 'le lanceur du robot {what}',
  script: 'le script {what} du projet',
  app: "{by} sert l'application {what} du projet",
  module: 'le module {what} du projet',
  console: 'la commande {what} du projet',
  pytestIn: 'pytest dans le projet ({what})',
  pytestOn: 'pytest sur {what} du projet',
  viewer: 'le visualiseur MuJoCo sur {what} du projet',
  worker: 'un processus multiprocessing dans le projet',
  rule: 'correspond à la règle « {what} » des réglages',
  child: 'enfant du processus BBIA {pid} ({by})',
  group: 'dans le groupe du processus BBIA {pid} ({by}), qui s’est arrêté',
  instance: "fait partie de l'arbre de l'instance",
};

/** Why a process is listed, in words of `lang` (English in `status --json`). */
export function reasonText(why: Why, lang: Lang = 'en'): string {
  return translatorOf({ en, fr }, lang)(why.code, { what: why.what ?? '', by: why.by ?? '', pid: why.pid ?? '' });
}
