/** The app's languages. */
export type Lang = 'en' | 'fr';

/** French when the system locale is French (`app.getLocale()`, e.g. `fr-FR`), else English. */
export function langOf(locale: string): Lang {
  return /^fr\b|^fr[-_]/i.test(locale) ? 'fr' : 'en';
}

const en = {
  cancel: 'Cancel',
  stop: 'Stop',
  forceStop: 'Force stop',
  killAll: 'Kill all',
  stopAndQuit: 'Stop and quit',
  stopTitle: 'Stop the robot',
  stopMessage: 'Stop the robot and its {n} process(es)?',
  stopDetail: 'SIGTERM to the whole tree, SIGKILL after {timeout} s:',
  forceMessage: 'Force stop the robot and its {n} process(es) now?',
  forceDetail: 'SIGKILL to the whole tree at once; the robot cannot clean up:',
  killOneMessage: 'Stop this {kind} process?',
  killAllTitle: 'Kill every BBIA process',
  killAllMessage: 'Kill all {n} BBIA process(es)? This is the last resort.',
  killAllDetail: 'SIGKILL at once, no time to save anything. Prefer Stop when it works:',
  quitTitle: 'Quit bbia-safe',
  quitMessage: 'A robot is running (PID {pid}). Stop it and quit?',
  quitDetail: 'Quitting stops the robot and everything it started, then releases the lock.',
  procLine: 'PID {pid}: {cpu}% CPU, {mem}MB RAM ({kind})',
  started: 'Robot started: PID {pid} ({mode}).',
  stopped: 'Stopped {n} process(es) in {ms} ms; lock released.',
  nothingToStop: 'No robot is running.',
  cancelled: 'Cancelled: nothing was stopped.',
  killed: 'Killed {n} process(es).',
  nothingToKill: 'No BBIA process is running.',
  survivors: 'Still running: PID {list}.',
  busy: 'Another action is in progress; try again in a moment.',
  notInScan: 'That process is no longer in the list; refresh and try again.',
  processGone: 'PID {pid} has exited or now belongs to another process: nothing was signalled.',
  partOfInstance: 'That process belongs to the robot: use Stop.',
  noProject: 'No BBIA project folder: choose one in Settings.',
  projectInvalid: '{dir} has no scripts/launch_complete_robot.py: choose the BBIA project folder.',
  projectSaved: 'Project folder: {dir}.',
  pickCancelled: 'No folder chosen.',
  settingsSaved: 'Settings saved.',
  pickTitle: 'Choose the BBIA project folder',
  reasonOrphan: 'The robot PID {pid} is orphaned: its supervisor is gone.',
  reasonStrays: '{n} BBIA process(es) run outside the instance.',
  reasonRunaway: 'PID {pid} ({kind}) is a runaway: {what}.',
  menuOpen: 'Open bbia-safe',
  menuStart: 'Start',
  menuQuit: 'Quit bbia-safe',
  tooltipIdle: 'bbia-safe: no robot running',
  tooltipRunning: 'bbia-safe: robot running (PID {pid})',
  tooltipWarning: 'bbia-safe: needs attention',
  exitedTitle: 'The robot stopped',
  exitedBody: 'It exited on its own ({how}); what it left behind was stopped.',
};

const fr: typeof en = {
  cancel: 'Annuler',
  stop: 'Arrêter',
  forceStop: 'Forcer l’arrêt',
  killAll: 'Tout tuer',
  stopAndQuit: 'Arrêter et quitter',
  stopTitle: 'Arrêter le robot',
  stopMessage: 'Arrêter le robot et ses {n} processus ?',
  stopDetail: 'SIGTERM à tout l’arbre, SIGKILL après {timeout} s :',
  forceMessage: 'Forcer l’arrêt du robot et de ses {n} processus maintenant ?',
  forceDetail: 'SIGKILL immédiat à tout l’arbre ; le robot ne peut rien sauvegarder :',
  killOneMessage: 'Arrêter ce processus ({kind}) ?',
  killAllTitle: 'Tuer tous les processus BBIA',
  killAllMessage: 'Tuer les {n} processus BBIA ? C’est le dernier recours.',
  killAllDetail: 'SIGKILL immédiat, sans rien sauvegarder. Préférez Arrêter quand cela suffit :',
  quitTitle: 'Quitter bbia-safe',
  quitMessage: 'Un robot tourne (PID {pid}). L’arrêter et quitter ?',
  quitDetail: 'Quitter arrête le robot et tout ce qu’il a lancé, puis libère le verrou.',
  procLine: 'PID {pid} : {cpu} % CPU, {mem} Mo RAM ({kind})',
  started: 'Robot lancé : PID {pid} ({mode}).',
  stopped: '{n} processus arrêté(s) en {ms} ms ; verrou libéré.',
  nothingToStop: 'Aucun robot en cours.',
  cancelled: 'Annulé : rien n’a été arrêté.',
  killed: '{n} processus tué(s).',
  nothingToKill: 'Aucun processus BBIA en cours.',
  survivors: 'Toujours en vie : PID {list}.',
  busy: 'Une autre action est en cours ; réessayez dans un instant.',
  notInScan: 'Ce processus n’est plus dans la liste ; actualisez et réessayez.',
  processGone: 'Le PID {pid} a disparu ou appartient à un autre processus : rien n’a été signalé.',
  partOfInstance: 'Ce processus appartient au robot : utilisez Arrêter.',
  noProject: 'Aucun dossier de projet BBIA : choisissez-en un dans les Réglages.',
  projectInvalid: '{dir} ne contient pas scripts/launch_complete_robot.py : choisissez le dossier du projet BBIA.',
  projectSaved: 'Dossier du projet : {dir}.',
  pickCancelled: 'Aucun dossier choisi.',
  settingsSaved: 'Réglages enregistrés.',
  pickTitle: 'Choisir le dossier du projet BBIA',
  reasonOrphan: 'Le robot PID {pid} est orphelin : son superviseur a disparu.',
  reasonStrays: '{n} processus BBIA tournent hors de l’instance.',
  reasonRunaway: 'Le PID {pid} ({kind}) s’emballe : {what}.',
  menuOpen: 'Ouvrir bbia-safe',
  menuStart: 'Lancer',
  menuQuit: 'Quitter bbia-safe',
  tooltipIdle: 'bbia-safe : aucun robot',
  tooltipRunning: 'bbia-safe : robot en cours (PID {pid})',
  tooltipWarning: 'bbia-safe : à surveiller',
  exitedTitle: 'Le robot s’est arrêté',
  exitedBody: 'Il s’est arrêté de lui-même ({how}) ; ce qu’il avait lancé a été arrêté.',
};

/** A message key. */
export type AppMessage = keyof typeof en;

/** A translator bound to one language. */
export type AppTranslate = (key: AppMessage, vars?: Record<string, string | number>) => string;

/** The translator of a language; `{name}` placeholders are filled from `vars`. */
export function appTranslator(lang: Lang): AppTranslate {
  const table = lang === 'fr' ? fr : en;
  return (key, vars = {}) => table[key].replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name] ?? `{${name}}`));
}
