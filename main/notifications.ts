import { Notification } from 'electron';

/** Shows a native notification when they are enabled and supported; silent otherwise. */
export function notify(enabled: boolean, title: string, body: string): void {
  if (!enabled || !Notification.isSupported()) return;
  new Notification({ title, body }).show();
}
