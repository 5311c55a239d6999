import { translatorOf, type Lang, type Translator } from './fill.js';

// The command-line installer's messages (its dialogs; the menu item's label is in strings.ts)
const en = {
  ok: 'OK',
  cancel: 'Cancel',
  cliTitle: 'Install the bbia-safe command',
  cliQuestion: 'Link {link} to the command line inside bbia-safe.app?',
  cliDetail: 'Then `bbia-safe status`, `start` and `stop` work in Terminal. The command runs with your Node.js 22 or later, and says what to install when there is none.',
  cliReplaces: '{link} exists and will be replaced ({what}).',
  cliReplacesLink: 'a link to {target}',
  cliReplacesFile: 'a file, not a link',
  cliAdmin: 'No folder on your PATH is writable by you: writing to {dir} needs an administrator password (macOS asks for it).',
  cliInstall: 'Install',
  cliInstallAdmin: 'Install as administrator…',
  cliDone: 'Installed: {link}.',
  cliDoneDetail: 'Open a new Terminal window and run `bbia-safe status`. It needs Node.js 22 or later (nodejs.org, or `brew install node`).',
  cliAlready: 'The bbia-safe command is already installed: {link}.',
  cliFailed: 'Could not install the bbia-safe command: {why}',
  cliFailedDetail: 'Link it by hand in Terminal:\nln -sf "{launcher}" {link}',
  cliNotInstalled: 'Move bbia-safe to the Applications folder first.',
  cliNotInstalledDetail: 'It runs from the disk image or a temporary copy, and the command would point there. Drag bbia-safe to Applications, open it from there, then choose Install Command Line Tool… again.',
  cliDevOnly: 'Only the packaged app installs the bbia-safe command.',
  cliDevOnlyDetail: 'In a checkout, run `npx bbia-safe` (or `npm link` once).',
};

const fr: typeof en = {
  ok: 'OK',
  cancel: 'Annuler',
  cliTitle: 'Installer la commande bbia-safe',
  cliQuestion: 'Lier {link} à la ligne de commande de bbia-safe.app ?',
  cliDetail: 'Ensuite `bbia-safe status`, `start` et `stop` marchent dans le Terminal. La commande tourne avec votre Node.js 22 ou plus récent, et dit quoi installer s’il n’y en a pas.',
  cliReplaces: '{link} existe et sera remplacé ({what}).',
  cliReplacesLink: 'un lien vers {target}',
  cliReplacesFile: 'un fichier, pas un lien',
  cliAdmin: 'Aucun dossier de votre PATH ne vous est accessible en écriture : écrire dans {dir} demande un mot de passe administrateur (macOS le demande).',
  cliInstall: 'Installer',
  cliInstallAdmin: 'Installer en administrateur…',
  cliDone: 'Installé : {link}.',
  cliDoneDetail: 'Ouvrez une nouvelle fenêtre de Terminal et lancez `bbia-safe status`. Il faut Node.js 22 ou plus récent (nodejs.org, ou `brew install node`).',
  cliAlready: 'La commande bbia-safe est déjà installée : {link}.',
  cliFailed: 'Impossible d’installer la commande bbia-safe : {why}',
  cliFailedDetail: 'Liez-la à la main dans le Terminal :\nln -sf "{launcher}" {link}',
  cliNotInstalled: 'Déplacez d’abord bbia-safe dans le dossier Applications.',
  cliNotInstalledDetail: 'Elle tourne depuis l’image disque ou une copie temporaire, et la commande pointerait là. Glissez bbia-safe dans Applications, ouvrez-la depuis là, puis choisissez à nouveau Installer l’outil en ligne de commande…',
  cliDevOnly: 'Seule l’app empaquetée installe la commande bbia-safe.',
  cliDevOnlyDetail: 'Dans une copie du dépôt, lancez `npx bbia-safe` (ou `npm link` une fois).',
};

/** A message key of the installer. */
export type CliInstallMessage = keyof typeof en;

/** A translator of the installer's messages. */
export type CliInstallTranslate = Translator<CliInstallMessage>;

/** The translator of a language; `{name}` placeholders are filled from `vars`. */
export function cliInstallTranslator(lang: Lang): CliInstallTranslate {
  return translatorOf({ en, fr }, lang);
}
