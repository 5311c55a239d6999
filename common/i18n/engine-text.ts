import { ERRORS } from './error-texts.js';
import { fillPlaceholders, type Lang } from './fill.js';

/**
 * What the engine says to users, in English and French: errors (error-texts.ts: what failed, then what to do),
 * settings problems and notices.
 * The engine throws and logs keys with their values (errors.ts); each front renders them in its language,
 * so the engine stays free of any front and of any locale.
 */
const en = {
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
  pidfileUntrusted: '{file} is not trusted: {why}',
  pidReused: 'PID {pid} of {file} now belongs to another process ({command}); it will not be signalled',
  exitCode: 'exit code {code}',
  exitSignal: 'signal {signal}',
};

const fr: typeof en = {
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
  pidfileUntrusted: '{file} n’est pas digne de confiance : {why}',
  pidReused: 'le PID {pid} de {file} appartient maintenant à un autre processus ({command}) ; il ne sera pas signalé',
  exitCode: 'code de sortie {code}',
  exitSignal: 'signal {signal}',
};

const TABLES = { en: { ...ERRORS.en, ...en }, fr: { ...ERRORS.fr, ...fr } };

/** A key of the engine's texts. */
export type EngineTextKey = keyof (typeof TABLES)['en'];

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
  return fillPlaceholders(TABLES[lang][ref.key], ref.vars ?? {});
}

/** What the engine reports while it works: a plain string is for the record only (supervisor.log, the app's log); a text is also shown to the user. */
export type LogEvent = string | TextRef;

/** Where the engine reports what it does. */
export type EngineLog = (event: LogEvent) => void;

/** A log event as one line in `lang` (the record is written in English). */
export function logLine(lang: Lang, event: LogEvent): string {
  return typeof event === 'string' ? event : engineText(lang, event);
}
