// What a web app does with the Push API, as functions the Firefox end-to-end test calls.
'use strict';

function bytesFromBase64Url(text) {
  const base64 = text.replace(/-/g, '+').replace(/_/g, '/');
  return Uint8Array.from(atob(base64), c => c.charCodeAt(0));
}

async function workerRegistration() {
  await navigator.serviceWorker.register('/sw.js');
  return navigator.serviceWorker.ready;
}

window.pushTest = {
  // Subscribes with the application server's VAPID key; returns { endpoint, keys: { p256dh, auth } }.
  async subscribe(vapidPublicKey) {
    const registration = await workerRegistration();
    const subscription = await registration.pushManager.subscribe({
      userVisibleOnly: true,
      applicationServerKey: bytesFromBase64Url(vapidPublicKey),
    });
    return subscription.toJSON();
  },

  // The endpoint of the current subscription, or null.
  async endpoint() {
    const registration = await workerRegistration();
    const subscription = await registration.pushManager.getSubscription();
    return subscription ? subscription.endpoint : null;
  },

  // Every payload the service worker has decrypted so far (URL-safe base64), oldest first.
  async received() {
    const cache = await caches.open('received');
    const payloads = [];
    for (const request of await cache.keys()) {
      payloads.push(await (await cache.match(request)).text());
    }
    return payloads;
  },

  async unsubscribe() {
    const registration = await workerRegistration();
    const subscription = await registration.pushManager.getSubscription();
    return subscription.unsubscribe();
  },
};
