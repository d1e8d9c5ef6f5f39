import { el } from './views/dom.js';

/** Saves `text` as a file through a same-origin `blob:` link (nothing is sent anywhere). */
export function downloadText(fileName: string, text: string, type = 'text/plain'): void {
  const url = URL.createObjectURL(new Blob([text], { type: `${type};charset=utf-8` }));
  const link = el('a', { attributes: { href: url, download: fileName } });
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // The download has started by the next task; the URL would otherwise keep the text alive.
  setTimeout(() => {
    URL.revokeObjectURL(url);
  }, 1000);
}
