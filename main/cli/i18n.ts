import { engineText } from '../../common/i18n/engine-text.js';
import { langOf, translatorOf, type Lang, type Translator } from '../../common/i18n/fill.js';

/** The language of the locale (LC_ALL, then LC_MESSAGES, then LANG). */
export function detectLang(env: NodeJS.ProcessEnv = process.env): Lang {
  return langOf(env.LC_ALL || env.LC_MESSAGES || env.LANG || '');
}

const en = {
  lockHeld: 'Lock: held by supervisor PID {sup}, robot PID {pid} ({mode}), up {age}',
  lockOrphaned: 'Lock: ORPHANED, robot PID {pid} ({mode}) runs but its supervisor PID {sup} is gone (stop it: bbia-safe stop)',
  lockStale: 'Lock: {file} exists but no live instance holds it (a start in progress, or stale)',
  lockFree: 'Lock: free, no instance running',
  processes: 'BBIA processes: {n}',
  none: 'No BBIA process running.',
  procLine: '  {kind} PID {pid}: {cpu}% CPU, {mem}MB RAM, up {age}{ports}{locked}',
  portsTag: ', port(s) {ports}',
  whyLine: '      ({why})',
  twoRobots: 'WARNING: {n} robots are running at once ({list}); a second robot slows the Mac to a crawl. Stop the extra one: bbia-safe stop --pid PID',
  robotTagInstance: 'PID {pid}, the instance',
  robotTagHand: 'PID {pid}, not started by bbia-safe',
  noProjectKnown: 'No BBIA project folder is known, so the project\'s tests cannot be recognised. Run from the project folder, or save it: bbia-safe config set projectDir DIR',
  willStopPid: 'Will stop robot PID {pid}, not started by bbia-safe, and its tree (SIGTERM, SIGKILL after {timeout} s); nothing else:',
  stoppedPid: 'Stopped robot PID {pid}: {n} process(es) in {ms} ms ({killed} needed SIGKILL).',
  lockedTag: ' [instance]',
  warning: 'Warning: {text}',
  error: 'Error: {text}',
  next: '  -> {text}',
  confirm: 'Stop {n} process(es)? [y/N] ',
  confirmKill: 'SIGKILL {n} process(es)? This is the last resort. [y/N] ',
  needForce: 'confirmation required but there is no terminal to ask on',
  needForceHint: 'run it again with --force to proceed without asking',
  cancelled: 'Cancelled: nothing was stopped.',
  willStop: 'Will stop the {state} instance (SIGTERM, SIGKILL after {timeout} s):',
  willKill: 'Will SIGKILL every BBIA process of this user:',
  noInstance: 'No BBIA instance is running.',
  handRobot: 'A robot not started by bbia-safe runs: PID {pid}; stop it with: bbia-safe stop --pid {pid}',
  removedStale: 'Removed stale lock files: {files}',
  stopped: 'Stopped {n} process(es) in {ms} ms ({killed} needed SIGKILL, {escaped} had left the group). Lock files removed.',
  survivors: 'Still running after the stop: {list}',
  killed: 'Killed {n} process(es) ({extra} of them descendants of the listed ones): all {n} needed SIGKILL.',
  started: 'Robot started: PID {pid} ({mode}) in {dir}\nSupervisor PID {sup} holds the lock; log: {log}',
  foreground: 'Ctrl+C (or closing this terminal) stops it and everything it started.',
  stopping: 'Received {signal}: stopping the robot and its whole tree...',
  exited: 'The robot exited on its own ({how}). Last lines of its log:',
  finished: 'The robot finished its {mode} run ({how}).',
  lastLine: '  | {line}',
  runawayTag: 'RUNAWAY',
  leftoverTag: 'leftover',
  portHeld: 'Port {port} is already in use by PID {pid}: {command}\n  -> stop that process (bbia-safe status lists it when it is a BBIA process: bbia-safe stop --pid, cleanup or kill-all), or give the robot another port',
  portHeldUnknown: 'Port {port} is already in use, by a process of another user or outside this system (a container)\n  -> free that port, or give the robot another port',
  endStopped: 'Stopped ({n} process(es), {ms} ms); lock files removed.',
  noLeftovers: 'No leftovers (test, websocket or viewer processes outside the instance, older than {minutes} min).',
  willCleanup: 'Will stop {n} leftover(s) (outside the instance, older than {minutes} min):',
  cleaned: 'Cleaned up {n} leftover(s): {total} process(es) with their trees, {killed} needed SIGKILL.',
  leftoversLine: '{n} leftover(s): clear them with bbia-safe cleanup',
  lastExit: 'Last run: robot PID {pid} exited on its own ({how}) at {at}; see bbia-safe logs',
  lastFinished: 'Last run: robot PID {pid} finished its {mode} run ({how}) at {at}',
  watchFooter: 'Ctrl+C to quit. History: last 10 minutes ({interval} samples).',
};

const fr: typeof en = {
  lockHeld: 'Verrou : tenu par le superviseur PID {sup}, robot PID {pid} ({mode}), depuis {age}',
  lockOrphaned: 'Verrou : ORPHELIN, le robot PID {pid} ({mode}) tourne mais son superviseur PID {sup} a disparu (arrêt : bbia-safe stop)',
  lockStale: 'Verrou : {file} existe mais aucune instance vivante ne le tient (démarrage en cours, ou périmé)',
  lockFree: 'Verrou : libre, aucune instance en cours',
  processes: 'Processus BBIA : {n}',
  none: 'Aucun processus BBIA en cours.',
  procLine: '  {kind} PID {pid}: {cpu}% CPU, {mem}MB RAM, depuis {age}{ports}{locked}',
  portsTag: ', port(s) {ports}',
  whyLine: '      ({why})',
  twoRobots: 'ATTENTION : {n} robots tournent en même temps ({list}) ; un second robot ralentit fortement le Mac. Arrêtez celui en trop : bbia-safe stop --pid PID',
  robotTagInstance: "PID {pid}, l'instance",
  robotTagHand: 'PID {pid}, non lancé par bbia-safe',
  noProjectKnown: "Aucun dossier de projet BBIA n'est connu : les tests du projet ne peuvent pas être reconnus. Lancez depuis le dossier du projet, ou enregistrez-le : bbia-safe config set projectDir DOSSIER",
  willStopPid: "Arrêt du robot PID {pid}, non lancé par bbia-safe, et de son arbre (SIGTERM, SIGKILL après {timeout} s) ; rien d'autre :",
  stoppedPid: 'Robot PID {pid} arrêté : {n} processus en {ms} ms ({killed} ont nécessité SIGKILL).',
  lockedTag: ' [instance]',
  warning: 'Attention : {text}',
  error: 'Erreur : {text}',
  next: '  -> {text}',
  confirm: 'Arrêter {n} processus ? [o/N] ',
  confirmKill: 'SIGKILL à {n} processus ? C\'est le dernier recours. [o/N] ',
  needForce: 'une confirmation est nécessaire mais aucun terminal ne permet de la demander',
  needForceHint: 'relancez avec --force pour continuer sans confirmation',
  cancelled: 'Annulé : rien n\'a été arrêté.',
  willStop: 'Arrêt de l\'instance ({state}) (SIGTERM, puis SIGKILL après {timeout} s) :',
  willKill: 'SIGKILL à chaque processus BBIA de cet utilisateur :',
  noInstance: 'Aucune instance BBIA en cours.',
  handRobot: 'Un robot non lancé par bbia-safe tourne : PID {pid} ; pour l\'arrêter : bbia-safe stop --pid {pid}',
  removedStale: 'Fichiers de verrou périmés supprimés : {files}',
  stopped: '{n} processus arrêté(s) en {ms} ms ({killed} par SIGKILL, {escaped} sortis du groupe). Fichiers de verrou supprimés.',
  survivors: 'Toujours en vie après l\'arrêt : {list}',
  killed: '{n} processus tué(s) (dont {extra} descendants de ceux listés) : tous les {n} ont nécessité SIGKILL.',
  started: 'Robot lancé : PID {pid} ({mode}) dans {dir}\nLe superviseur PID {sup} tient le verrou ; journal : {log}',
  foreground: 'Ctrl+C (ou fermer ce terminal) l\'arrête, avec tout ce qu\'il a lancé.',
  stopping: '{signal} reçu : arrêt du robot et de tout son arbre...',
  exited: 'Le robot s\'est arrêté de lui-même ({how}). Dernières lignes de son journal :',
  finished: 'Le robot a terminé son exécution {mode} ({how}).',
  lastLine: '  | {line}',
  runawayTag: 'EMBALLÉ',
  leftoverTag: 'reste',
  portHeld: 'Le port {port} est déjà pris par le PID {pid} : {command}\n  -> arrêtez ce processus (bbia-safe status le liste si c’est un processus BBIA : bbia-safe stop --pid, cleanup ou kill-all), ou donnez un autre port au robot',
  portHeldUnknown: 'Le port {port} est déjà pris, par un processus d’un autre utilisateur ou hors de ce système (un conteneur)\n  -> libérez ce port, ou donnez un autre port au robot',
  endStopped: 'Arrêté ({n} processus, {ms} ms) ; fichiers de verrou supprimés.',
  noLeftovers: 'Aucun reste (tests, websocket ou visualiseurs hors instance, plus vieux que {minutes} min).',
  willCleanup: 'Arrêt de {n} reste(s) (hors instance, plus vieux que {minutes} min) :',
  cleaned: '{n} reste(s) nettoyé(s) : {total} processus avec leurs arbres, {killed} ont nécessité SIGKILL.',
  leftoversLine: '{n} reste(s) : nettoyez-les avec bbia-safe cleanup',
  lastExit: 'Dernière exécution : le robot PID {pid} s\'est arrêté de lui-même ({how}) à {at} ; voir bbia-safe logs',
  lastFinished: 'Dernière exécution : le robot PID {pid} a terminé son exécution {mode} ({how}) à {at}',
  watchFooter: 'Ctrl+C pour quitter. Historique : 10 dernières minutes ({interval} mesures).',
};

/** A message key. */
export type MessageKey = keyof typeof en;

/** A translator bound to one language, which it names (for the engine's texts: main/i18n/engine-text.ts). */
export type Translate = Translator<MessageKey> & { lang: Lang };

/** Returns the translator of a language; `{name}` placeholders are filled from `vars`. */
export function translator(lang: Lang): Translate {
  return Object.assign(translatorOf({ en, fr }, lang), { lang });
}

/** How a robot ended, in the translator's language: `exit code 5`, `signal SIGSEGV`. */
export function exitHow(t: Translate, end: { exitCode: number | null; signal: string | null }): string {
  return engineText(t.lang, end.exitCode !== null ? { key: 'exitCode', vars: { code: end.exitCode } } : { key: 'exitSignal', vars: { signal: end.signal ?? '?' } });
}

/** True when the answer means yes in either language. */
export function isYes(answer: string): boolean {
  return /^(y|yes|o|oui)$/i.test(answer.trim());
}
