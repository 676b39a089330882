// Where the phone is, for a case report. Indoors or under a weak signal a fix
// may never come: the report form then asks for an address instead.

const OPTIONS = { enableHighAccuracy: true, timeout: 20000, maximumAge: 60000 }
const round = (degrees) => Math.round(degrees * 1e6) / 1e6

/** { lat, lng, accuracy } (metres), or an Error whose message is why not:
 *  'unsupported', 'denied', 'unavailable' or 'timeout'. */
export function locate(geolocation = globalThis.navigator?.geolocation) {
  return new Promise((resolve, reject) => {
    if (!geolocation) {
      reject(new Error('unsupported'))
      return
    }
    geolocation.getCurrentPosition(
      ({ coords }) => resolve({ lat: round(coords.latitude), lng: round(coords.longitude),
        accuracy: Math.round(coords.accuracy) }),
      (error) => reject(new Error({ 1: 'denied', 2: 'unavailable', 3: 'timeout' }[error.code] || 'unavailable')),
      OPTIONS)
  })
}
