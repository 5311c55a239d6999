/**
 * The e2e harness: the real engine and the real handler table (the ones main registers on
 * ipcMain), served over loopback HTTP with the built renderer, so Playwright drives the popover in a
 * real Chromium. Run it with HOME pointing at a temp folder: it starts real robots.
 *   POST /ipc/<channel>   {request}          -> the handler's response (validated as main does)
 *   GET  /test/dialog?wait=ms                -> the dialog on screen, if any
 *   POST /test/dialog     {confirm}|{folder} -> answers it
 *   GET  /test/opened                       -> the files "Open log" asked the shell to open
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { createEngine } from '../../main/engine/engine.js';
import { packageRoot } from '../../main/engine/package-info.js';
import { createPaths } from '../../main/engine/paths.js';
import { DEFAULT_SETTINGS, type Settings } from '../../main/engine/settings/schema.js';
import { openSettingsStore } from '../../main/engine/settings/store.js';
import { appTranslator, langOf } from '../../common/i18n/strings.js';
import { createHandlers, dispatch, IpcRefusal } from '../../main/ipc/handlers.js';
import { AppSupervisor } from '../../main/app/app-supervisor.js';
import { createStateService } from '../../main/app/state.js';
import { TestDialogs, type DialogAnswer } from './test-dialogs.js';

const RENDERER = path.join(packageRoot(), 'out', 'renderer');
const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.png': 'image/png' };

const paths = createPaths();
const store = openSettingsStore(paths);
const settings = { read: (): Settings => ({ ...structuredClone(DEFAULT_SETTINGS), ...store.store }), write: (patch: Partial<Settings>) => (store.set(patch), settings.read()) };
const engine = createEngine({ paths, settings: settings.read() });
const lang = langOf(process.env.LC_ALL || process.env.LANG || 'en');
const t = appTranslator(lang);
const appSupervisor = new AppSupervisor(engine);
const state = createStateService(engine, appSupervisor, { lang, t });
const dialogs = new TestDialogs();
// The shell port records what it would open (shell.openPath in the app)
const opened: string[] = [];
const shell = { openPath: async (file: string) => (opened.push(file), '') };
const table = createHandlers({ engine, dialogs, appSupervisor, state, settings, shell, t, log: (m) => console.error(`[harness] ${m}`) });

const body = async (req: http.IncomingMessage): Promise<unknown> => {
  let text = '';
  for await (const chunk of req) text += String(chunk);
  return text ? JSON.parse(text) : null;
};
const send = (res: http.ServerResponse, code: number, value: unknown) => {
  res.writeHead(code, { 'content-type': 'application/json' });
  res.end(JSON.stringify(value ?? null));
};

const server = http.createServer(async (req, res) => {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  try {
    if (req.method === 'POST' && url.pathname.startsWith('/ipc/')) {
      const { request } = ((await body(req)) ?? {}) as { request?: unknown };
      return send(res, 200, await dispatch(table, decodeURIComponent(url.pathname.slice(5)), request));
    }
    if (url.pathname === '/test/dialog') {
      if (req.method === 'POST') return send(res, 200, { answered: dialogs.answer((await body(req)) as DialogAnswer) });
      return send(res, 200, (await dialogs.next(Number(url.searchParams.get('wait') ?? 0))) ?? null);
    }
    if (url.pathname === '/test/opened') return send(res, 200, opened);
    const file = path.join(RENDERER, path.normalize(url.pathname === '/' ? '/index.html' : url.pathname));
    if (req.method !== 'GET' || !file.startsWith(RENDERER + path.sep) || !fs.existsSync(file)) return send(res, 404, { error: 'not found' });
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
    fs.createReadStream(file).pipe(res);
  } catch (error) {
    send(res, error instanceof IpcRefusal ? 400 : 500, { error: (error as Error).message });
  }
});

// The harness supervises robots as the app does: a signal stops the robot's tree and releases the lock first
let closing = false;
for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
  process.on(signal, () => {
    if (closing) return;
    closing = true;
    server.close();
    void appSupervisor.stop(signal).finally(() => process.exit(0));
  });
}
server.listen(0, '127.0.0.1', () => {
  const address = server.address() as { port: number };
  console.log(`HARNESS_URL=http://127.0.0.1:${address.port} HOME=${paths.home}`);
});
