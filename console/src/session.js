// The signed-in API key. It lives only in this tab's session storage: never in a cookie,
// localStorage or a URL, and it is gone when the tab closes or the user signs out.
const storageKey = 'tollgate.apiKey';

export const session = {
  key: () => sessionStorage.getItem(storageKey),
  remember: (key) => sessionStorage.setItem(storageKey, key),
  forget: () => sessionStorage.removeItem(storageKey),
};
