import { fillPlaceholders, type Lang } from './fill.js';

/**
 * What the engine says to users, in English and French: errors (what failed, then what to do) and notices.
 * The engine throws and logs keys with their values (errors.ts); each front renders them in its language,
 * so the engine stays free of any front and of any locale.
 */
const en = {
  // ---- errors and their hints (`<key>` and `<key>Hint`) ----
  noProjectDir: 'no BBIA project folder: the current folder has no scripts/launch_complete_robot.py and none is saved',
  noProjectDirHint: 'run it from the project folder, pass --project DIR, or save one: bbia-safe config set projectDir DIR',
  projectDirMissing: 'the project folder {dir} does not exist',
  projectDirMissingHint: 'pass an existing folder with --project DIR',
  projectDirNoScript: '{dir} has no {script}',
  projectDirNoScriptHint: 'pass the BBIA project folder (the one holding scripts/launch_complete_robot.py) with --project DIR',
  pythonNotFound: 'the Python interpreter "{python}" was not found',
  pythonNotFoundHint: 'install Python 3, or set the interpreter: bbia-safe config set python /path/to/python3',
  instanceRunning: 'an instance is already running: robot PID {pid} ({mode}, supervisor PID {sup})',
  instanceRunningHint: 'stop it first: bbia-safe stop',
  orphanRunning: 'an orphaned robot is still running: PID {pid} (its supervisor is gone)',
  orphanRunningHint: 'stop it first: bbia-safe stop',
  handRobot: 'a BBIA robot not started by bbia-safe is running: PID {pid} ({command})',
  handRobotHint: 'stop it first: bbia-safe kill-all (or end it where it was started)',
  lockBusy: 'bbia-safe PID {pid} holds the lock and is starting or stopping an instance',
  lockBusyHint: 'wait a moment, then check with: bbia-safe status',
  lockStarting: 'another bbia-safe is starting an instance right now',
  lockStartingHint: 'wait a moment, then check with: bbia-safe status',
  lockRaceLost: 'another bbia-safe won the race for the lock',
  lockRaceLostHint: 'check with: bbia-safe status',
  lockAttempts: 'could not take the lock after five attempts',
  lockAttemptsHint: 'check with: bbia-safe status',
  lockYield: 'another bbia-safe took the lock during the start; this start yields',
  lockYieldHint: 'check with: bbia-safe status',
  lockCreate: 'could not create the lock {lock}: {why}',
  lockCreateHint: 'check that {home} is writable',
  lockOwnerWrite: 'could not write the lock owner in {lock}: {why}',
  lockOwnerWriteHint: 'check that {home} is writable and the disk is not full',
  writeFailed: 'could not write {file}: {why}',
  writeFailedHint: 'check that {dir} is writable and the disk is not full',
  logDirFailed: 'cannot create {dir}: {why}',
  logDirFailedHint: 'check that {home} is writable',
  launchFailed: 'could not launch {command}: {why}',
  launchFailedHint: 'check the interpreter {interpreter}',
  exitedAtOnce: 'the robot exited at once ({how}): {lines}',
  exitedAtOnceHint: 'read the whole log: {log}',
  // ---- the command line's grammar and settings ----
  unknownCommand: 'unknown command {command}',
  unknownCommandHint: 'run bbia-safe --help for the list of commands',
  usage: 'usage: {usage}',
  unknownOption: 'unknown option {option}',
  optionNoValue: 'option --{name} takes no value',
  optionNeedsValue: 'option --{name} needs a value',
  optionNeedsNumber: 'option --{name} needs a positive number of seconds, not {value}',
  optionNeedsText: 'option --{name} needs a non-empty value',
  unexpectedArgument: 'unexpected argument {arg}',
  unknownMode: 'unknown mode {mode}',
  unknownSetting: 'unknown setting {key}',
  unknownSettingHint: 'known settings: {known}',
  unknownConfigAction: 'unknown config action {action}',
  settingTakesJson: '{key} takes JSON, not {raw}',
  settingTakesJsonHint: 'for example: bbia-safe config get {key}',
  settingInvalid: '{value} is not a valid {key}: {why}',
  settingInvalidHint: 'see the current value: bbia-safe config get {key}',
  settingsFileUnusable: 'the settings file {file} cannot be used: {why}',
  settingsFileUnusableHint: 'fix it or delete it, then try again',
  robotArgsInvalid: 'robotArgs: {why}',
  robotArgsInvalidHint: 'give the arguments after --, as to start: bbia-safe config set robotArgs -- --model reachy_mini.xml (or a JSON list: \'["--model", "reachy_mini.xml"]\')',
  noLog: 'there is no robot log yet ({file})',
  noLogHint: 'start the robot first: bbia-safe start',
  supervisorSpawnFailed: 'could not start the background supervisor: {why}',
  supervisorSpawnFailedHint: 'check that {dir} is readable, then try again',
  supervisorGone: 'the background supervisor exited ({code}) before the robot started',
  supervisorGoneHint: 'read {log}',
  robotDiedSettling: 'the robot ended right after it started ({how}); last lines of its log:',
  robotDiedSettlingHint: 'read the whole log: bbia-safe logs (or {log})',
  robotStoppedSettling: 'the robot was stopped ({by}) before it had run {ms} ms',
  robotStoppedSettlingHint: 'check with: bbia-safe status',
  badSupervisorRequest: 'malformed supervisor request',
  badSupervisorRequestHint: 'use bbia-safe start --detach',
  bug: '{why}',
  bugHint: 'this is a bug in bbia-safe; please report it with the command you ran',
  settingsFileIgnored: 'the settings file {file} cannot be used ({why}); using the defaults. Fix it or delete it.',
  // ---- what a settings value breaks (settings/validate.ts) ----
  mustBeOneOf: '{at} must be one of {values}',
  mustBeString: '{at} must be a string',
  tooShort: '{at} is too short',
  tooLong: '{at} is too long',
  mustBeNumber: '{at} must be a number',
  atLeast: '{at} must be at least {min}',
  atMost: '{at} must be at most {max}',
  mustBeBoolean: '{at} must be true or false',
  mustBeList: '{at} must be a list',
  tooManyItems: '{at} has too many items',
  mustBeObject: '{at} must be an object',
  keyMissing: '{at}.{key} is missing',
  keyUnknown: '{at}.{key} is not a known key',
  // ---- notices: things worth telling while it works ----
  oldLockSetAside: 'the old bbia_safe.sh lock {file} (a plain file) was set aside to {aside}; bbia-safe now keeps the lock there',
  oldPidfileSetAside: 'the pidfile {file} was not bbia-safe\'s (perhaps the old bbia_safe.sh\'s: a PID alone); set aside to {aside}',
  symlinkLockRemoved: '{file} was a symbolic link; removed it (its target was not touched)',
  staleLockOwnerGone: 'the lock was stale (its owner PID {pid} is gone); taking it over',
  staleLockNoOwner: 'the lock was stale (it has no owner); taking it over',
  lockCompromised: 'the lock was compromised ({why})',
  lockHeldByOther: 'another process holds the lock now; not taking it back',
  lockReacquired: 'lock re-acquired',
  lockNotReacquired: 'could not re-acquire the lock: {why}',
  exitCode: 'exit code {code}',
  exitSignal: 'signal {signal}',
};

const fr: typeof en = {
  noProjectDir: 'aucun dossier de projet BBIA : le dossier courant n’a pas de scripts/launch_complete_robot.py et aucun n’est enregistré',
  noProjectDirHint: 'lancez-le depuis le dossier du projet, passez --project DOSSIER, ou enregistrez-en un : bbia-safe config set projectDir DOSSIER',
  projectDirMissing: 'le dossier de projet {dir} n’existe pas',
  projectDirMissingHint: 'passez un dossier existant avec --project DOSSIER',
  projectDirNoScript: '{dir} ne contient pas {script}',
  projectDirNoScriptHint: 'passez le dossier du projet BBIA (celui qui contient scripts/launch_complete_robot.py) avec --project DOSSIER',
  pythonNotFound: 'l’interpréteur Python « {python} » est introuvable',
  pythonNotFoundHint: 'installez Python 3, ou réglez l’interpréteur : bbia-safe config set python /chemin/vers/python3',
  instanceRunning: 'une instance tourne déjà : robot PID {pid} ({mode}, superviseur PID {sup})',
  instanceRunningHint: 'arrêtez-la d’abord : bbia-safe stop',
  orphanRunning: 'un robot orphelin tourne encore : PID {pid} (son superviseur a disparu)',
  orphanRunningHint: 'arrêtez-le d’abord : bbia-safe stop',
  handRobot: 'un robot BBIA non lancé par bbia-safe tourne : PID {pid} ({command})',
  handRobotHint: 'arrêtez-le d’abord : bbia-safe kill-all (ou terminez-le là où il a été lancé)',
  lockBusy: 'bbia-safe PID {pid} tient le verrou et lance ou arrête une instance',
  lockBusyHint: 'patientez un instant, puis vérifiez : bbia-safe status',
  lockStarting: 'un autre bbia-safe lance une instance en ce moment',
  lockStartingHint: 'patientez un instant, puis vérifiez : bbia-safe status',
  lockRaceLost: 'un autre bbia-safe a pris le verrou en premier',
  lockRaceLostHint: 'vérifiez : bbia-safe status',
  lockAttempts: 'impossible de prendre le verrou en cinq tentatives',
  lockAttemptsHint: 'vérifiez : bbia-safe status',
  lockYield: 'un autre bbia-safe a pris le verrou pendant le lancement ; ce lancement lui cède la place',
  lockYieldHint: 'vérifiez : bbia-safe status',
  lockCreate: 'impossible de créer le verrou {lock} : {why}',
  lockCreateHint: 'vérifiez que {home} est accessible en écriture',
  lockOwnerWrite: 'impossible d’écrire le propriétaire du verrou dans {lock} : {why}',
  lockOwnerWriteHint: 'vérifiez que {home} est accessible en écriture et que le disque n’est pas plein',
  writeFailed: 'impossible d’écrire {file} : {why}',
  writeFailedHint: 'vérifiez que {dir} est accessible en écriture et que le disque n’est pas plein',
  logDirFailed: 'impossible de créer {dir} : {why}',
  logDirFailedHint: 'vérifiez que {home} est accessible en écriture',
  launchFailed: 'impossible de lancer {command} : {why}',
  launchFailedHint: 'vérifiez l’interpréteur {interpreter}',
  exitedAtOnce: 'le robot s’est arrêté aussitôt ({how}) : {lines}',
  exitedAtOnceHint: 'lisez tout le journal : {log}',
  unknownCommand: 'commande inconnue {command}',
  unknownCommandHint: 'lancez bbia-safe --help pour la liste des commandes',
  usage: 'usage : {usage}',
  unknownOption: 'option inconnue {option}',
  optionNoValue: 'l’option --{name} ne prend pas de valeur',
  optionNeedsValue: 'l’option --{name} demande une valeur',
  optionNeedsNumber: 'l’option --{name} demande un nombre de secondes positif, pas {value}',
  optionNeedsText: 'l’option --{name} demande une valeur non vide',
  unexpectedArgument: 'argument inattendu {arg}',
  unknownMode: 'mode inconnu {mode}',
  unknownSetting: 'réglage inconnu {key}',
  unknownSettingHint: 'réglages connus : {known}',
  unknownConfigAction: 'action de config inconnue {action}',
  settingTakesJson: '{key} attend du JSON, pas {raw}',
  settingTakesJsonHint: 'par exemple : bbia-safe config get {key}',
  settingInvalid: '{value} n’est pas une valeur valide pour {key} : {why}',
  settingInvalidHint: 'voir la valeur actuelle : bbia-safe config get {key}',
  settingsFileUnusable: 'le fichier de réglages {file} est inutilisable : {why}',
  settingsFileUnusableHint: 'corrigez-le ou supprimez-le, puis réessayez',
  robotArgsInvalid: 'robotArgs : {why}',
  robotArgsInvalidHint: 'donnez les arguments après --, comme à start : bbia-safe config set robotArgs -- --model reachy_mini.xml (ou une liste JSON : \'["--model", "reachy_mini.xml"]\')',
  noLog: 'pas encore de journal du robot ({file})',
  noLogHint: 'lancez d’abord le robot : bbia-safe start',
  supervisorSpawnFailed: 'impossible de lancer le superviseur en arrière-plan : {why}',
  supervisorSpawnFailedHint: 'vérifiez que {dir} est lisible, puis réessayez',
  supervisorGone: 'le superviseur en arrière-plan s’est arrêté ({code}) avant le lancement du robot',
  supervisorGoneHint: 'lisez {log}',
  robotDiedSettling: 'le robot s’est arrêté juste après son lancement ({how}) ; dernières lignes de son journal :',
  robotDiedSettlingHint: 'lisez tout le journal : bbia-safe logs (ou {log})',
  robotStoppedSettling: 'le robot a été arrêté ({by}) avant d’avoir tourné {ms} ms',
  robotStoppedSettlingHint: 'vérifiez : bbia-safe status',
  badSupervisorRequest: 'requête de superviseur mal formée',
  badSupervisorRequestHint: 'utilisez bbia-safe start --detach',
  bug: '{why}',
  bugHint: 'c’est un bogue de bbia-safe ; signalez-le avec la commande lancée',
  settingsFileIgnored: 'le fichier de réglages {file} est inutilisable ({why}) ; les valeurs par défaut s’appliquent. Corrigez-le ou supprimez-le.',
  mustBeOneOf: '{at} doit valoir l’un de {values}',
  mustBeString: '{at} doit être une chaîne',
  tooShort: '{at} est trop court',
  tooLong: '{at} est trop long',
  mustBeNumber: '{at} doit être un nombre',
  atLeast: '{at} doit valoir au moins {min}',
  atMost: '{at} doit valoir au plus {max}',
  mustBeBoolean: '{at} doit valoir true ou false',
  mustBeList: '{at} doit être une liste',
  tooManyItems: '{at} a trop d’éléments',
  mustBeObject: '{at} doit être un objet',
  keyMissing: '{at}.{key} manque',
  keyUnknown: '{at}.{key} n’est pas une clé connue',
  oldLockSetAside: 'le verrou de l’ancien bbia_safe.sh {file} (un simple fichier) a été mis de côté dans {aside} ; bbia-safe y tient désormais son verrou',
  oldPidfileSetAside: 'le fichier PID {file} n’était pas celui de bbia-safe (peut-être celui de l’ancien bbia_safe.sh : un PID seul) ; mis de côté dans {aside}',
  symlinkLockRemoved: '{file} était un lien symbolique ; il a été supprimé (sa cible est intacte)',
  staleLockOwnerGone: 'le verrou était périmé (son propriétaire PID {pid} a disparu) ; il est repris',
  staleLockNoOwner: 'le verrou était périmé (sans propriétaire) ; il est repris',
  lockCompromised: 'le verrou a été compromis ({why})',
  lockHeldByOther: 'un autre processus tient maintenant le verrou ; il n’est pas repris',
  lockReacquired: 'verrou repris',
  lockNotReacquired: 'impossible de reprendre le verrou : {why}',
  exitCode: 'code de sortie {code}',
  exitSignal: 'signal {signal}',
};

/** A key of the engine's texts. */
export type EngineTextKey = keyof typeof en;

/** The values a text's `{name}` placeholders take. */
export type TextVars = Record<string, string | number>;

/** A text to show the user, not yet in any language: its key and values. */
export interface TextRef {
  /** The text's key. */
  key: EngineTextKey;
  /** Its placeholders' values. */
  vars?: TextVars;
}

/** Renders one engine text in `lang`. */
export function engineText(lang: Lang, ref: TextRef): string {
  return fillPlaceholders({ en, fr }[lang][ref.key], ref.vars ?? {});
}

/** True when `key` names an engine text (a hint key is `<key>Hint`). */
export function isEngineTextKey(key: string): key is EngineTextKey {
  return Object.hasOwn(en, key);
}

/** What the engine reports while it works: a plain string is for the record only (supervisor.log, the app's log); a text is also shown to the user. */
export type LogEvent = string | TextRef;

/** Where the engine reports what it does. */
export type EngineLog = (event: LogEvent) => void;

/** A log event as one line in `lang` (the record is written in English). */
export function logLine(lang: Lang, event: LogEvent): string {
  return typeof event === 'string' ? event : engineText(lang, event);
}
