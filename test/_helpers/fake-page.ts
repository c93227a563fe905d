/** A stand-in page (or window): an EventTarget with a settable visibilityState, counting its live listeners. */
export function fakePage(visibilityState: 'hidden' | 'visible') {
  const target = new EventTarget();
  let listeners = 0;
  return {
    visibilityState,
    addEventListener: (...args: Parameters<EventTarget['addEventListener']>) => (listeners++, target.addEventListener(...args)),
    removeEventListener: (...args: Parameters<EventTarget['removeEventListener']>) => (listeners--, target.removeEventListener(...args)),
    dispatchEvent: (event: Event) => target.dispatchEvent(event),
    get listeners() {
      return listeners;
    },
  };
}
