import { translatorOf, type Lang, type Translator } from '../main/i18n/fill.js';

/** The popover's words, English and French (the language comes from main: `app.getLocale()`). */
const en = {
  idle: 'Idle',
  running: 'Running',
  warning: 'Needs attention',
  noRobot: 'No robot running',
  robot: 'Robot · {mode}',
  instanceMeta: 'PID {pid} · supervisor {sup}',
  ownedByApp: 'started here',
  locked: 'locked',
  orphaned: 'orphaned',
  noProject: 'Choose the BBIA project folder in Settings to start a robot.',
  cpu: 'CPU',
  ram: 'RAM',
  uptime: 'Up',
  age: 'Age',
  kind: 'Kind',
  graphical: 'Graphical',
  headless: 'Headless',
  test: 'Test (2 s)',
  start: 'Start',
  stop: 'Stop',
  forceStop: 'Force stop',
  killAll: 'Kill all…',
  processes: 'BBIA processes',
  none: 'No BBIA process running.',
  stopOne: 'Stop this process',
  inInstance: 'Part of the robot',
  settings: 'Settings',
  done: 'Done',
  project: 'Project folder',
  choose: 'Choose…',
  python: 'Python interpreter',
  robotArgs: 'Robot arguments (every start)',
  defaultMode: 'Default mode',
  stopTimeout: 'Stop timeout (s)',
  pollInterval: 'Refresh every (ms)',
  confirmStop: 'Confirm before stopping',
  confirmBeforeQuit: 'Confirm before quitting with a robot',
  notifications: 'Notifications',
  launchAtLogin: 'Launch at login',
  mb: 'MB',
  gb: 'GB',
  working: 'Working: {what}…',
  machine: 'This computer',
  cleanup: 'Clean up leftovers…',
  log: 'Robot log',
  openLog: 'Open log',
  exited: 'Exited on its own ({how}) at {at}',
  finished: 'Finished its run ({how}) at {at}',
  exitCode: 'exit code {code}',
  exitSignal: 'signal {signal}',
  runawayTag: 'Runaway',
  leftoverTag: 'Leftover',
  span: 'Last {span}',
  runawayCpu: 'Runaway above CPU (%)',
  runawayRobotCpu: 'the robot above CPU (%)',
  runawaySustain: 'for at least (s)',
  runawayMemory: 'or above RAM (MB)',
  leftoverMinutes: 'Leftovers after (min)',
};

const fr: typeof en = {
  idle: 'Au repos',
  running: 'En cours',
  warning: 'À surveiller',
  noRobot: 'Aucun robot en cours',
  robot: 'Robot · {mode}',
  instanceMeta: 'PID {pid} · superviseur {sup}',
  ownedByApp: 'lancé ici',
  locked: 'verrouillé',
  orphaned: 'orphelin',
  noProject: 'Choisissez le dossier du projet BBIA dans les Réglages pour lancer un robot.',
  cpu: 'CPU',
  ram: 'RAM',
  uptime: 'Depuis',
  age: 'Âge',
  kind: 'Type',
  graphical: 'Graphique',
  headless: 'Sans fenêtre',
  test: 'Test (2 s)',
  start: 'Lancer',
  stop: 'Arrêter',
  forceStop: 'Forcer l’arrêt',
  killAll: 'Tout tuer…',
  processes: 'Processus BBIA',
  none: 'Aucun processus BBIA en cours.',
  stopOne: 'Arrêter ce processus',
  inInstance: 'Fait partie du robot',
  settings: 'Réglages',
  done: 'OK',
  project: 'Dossier du projet',
  choose: 'Choisir…',
  python: 'Interpréteur Python',
  robotArgs: 'Arguments du robot (à chaque lancement)',
  defaultMode: 'Mode par défaut',
  stopTimeout: 'Délai d’arrêt (s)',
  pollInterval: 'Actualiser toutes les (ms)',
  confirmStop: 'Confirmer avant d’arrêter',
  confirmBeforeQuit: 'Confirmer avant de quitter avec un robot',
  notifications: 'Notifications',
  launchAtLogin: 'Ouvrir à la connexion',
  mb: 'Mo',
  gb: 'Go',
  working: 'En cours : {what}…',
  machine: 'Cet ordinateur',
  cleanup: 'Nettoyer les processus oubliés…',
  log: 'Journal du robot',
  openLog: 'Ouvrir le journal',
  exited: 'Arrêté de lui-même ({how}) à {at}',
  finished: 'Exécution terminée ({how}) à {at}',
  exitCode: 'code de sortie {code}',
  exitSignal: 'signal {signal}',
  runawayTag: 'Emballé',
  leftoverTag: 'Oublié',
  span: 'Dernières {span}',
  runawayCpu: 'Emballement au-delà de (% CPU)',
  runawayRobotCpu: 'le robot au-delà de (% CPU)',
  runawaySustain: 'pendant au moins (s)',
  runawayMemory: 'ou au-delà de (Mo de RAM)',
  leftoverMinutes: 'Oubliés après (min)',
};

/** A word of the popover. */
export type Word = keyof typeof en;

/** A translator for the popover. */
export type Tr = Translator<Word>;

/** The translator of a language; a placeholder without a value becomes empty. */
export function words(lang: Lang): Tr {
  return translatorOf({ en, fr }, lang, () => '');
}

/** Fills every `data-t` element's text and `data-t-title` element's tooltip. */
export function translatePage(root: ParentNode, tr: Tr): void {
  for (const el of root.querySelectorAll<HTMLElement>('[data-t]')) el.textContent = tr(el.dataset.t as Word);
  for (const el of root.querySelectorAll<HTMLElement>('[data-t-title]')) {
    el.title = tr(el.dataset.tTitle as Word);
    el.setAttribute('aria-label', el.title);
  }
}
