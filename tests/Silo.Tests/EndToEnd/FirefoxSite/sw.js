// The service worker of the Firefox end-to-end test. Firefox decrypts each push before this runs;
// the worker keeps the bytes in Cache Storage, so a push that arrives with no page open (right after
// Firefox starts again) is still there for the test to read.
'use strict';

let sequence = 0;

function base64Url(bytes) {
  let text = '';
  for (const b of bytes) {
    text += String.fromCharCode(b);
  }
  return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

async function record(event) {
  const bytes = new Uint8Array(event.data ? event.data.arrayBuffer() : new ArrayBuffer(0));
  const cache = await caches.open('received');
  sequence += 1;
  await cache.put(`/received/${Date.now()}-${sequence}`, new Response(base64Url(bytes)));
  // A user-visible subscription must show something for each push, or Firefox cuts its quota.
  await self.registration.showNotification('Push test', { body: `${bytes.length} bytes` });
}

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', event => event.waitUntil(self.clients.claim()));
self.addEventListener('push', event => event.waitUntil(record(event)));
