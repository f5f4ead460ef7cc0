/** Where the phone is, for the citizen and inspector forms; null when denied, absent or too slow. */
export function devicePosition(highAccuracy = false): Promise<{ lon: number; lat: number } | null> {
  if (!('geolocation' in navigator)) return Promise.resolve(null);
  return new Promise((resolve) =>
    navigator.geolocation.getCurrentPosition(
      (p) => resolve({ lon: p.coords.longitude, lat: p.coords.latitude }),
      () => resolve(null),
      { enableHighAccuracy: highAccuracy, timeout: 10_000 },
    ),
  );
}
