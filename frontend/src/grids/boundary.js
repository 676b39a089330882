// A grid's boundary (GeoJSON Polygon or MultiPolygon, longitude/latitude): read
// from what a GIS tool or an online map editor exports, and outlined as SVG
// paths. No base map: tiles need a map service, and a worker offline still
// sees the shape. The server checks the geometry (domain/boundaries.py).

/** The geometry in `text`: a Polygon or MultiPolygon, or a Feature or a
 *  FeatureCollection holding exactly one of them. Throws Error(code) with code
 *  notJson | notPolygon | manyFeatures. */
export function parseBoundary(text) {
  let value
  try {
    value = JSON.parse(text)
  } catch {
    throw new Error('notJson')
  }
  if (value?.type === 'FeatureCollection') {
    const polygons = (value.features || []).filter((f) => isPolygon(f?.geometry))
    if (polygons.length !== 1) throw new Error(polygons.length ? 'manyFeatures' : 'notPolygon')
    value = polygons[0]
  }
  if (value?.type === 'Feature') value = value.geometry
  if (!isPolygon(value)) throw new Error('notPolygon')
  return { type: value.type, coordinates: value.coordinates }
}

const isPolygon = (geometry) => ['Polygon', 'MultiPolygon'].includes(geometry?.type) &&
  Array.isArray(geometry.coordinates)

const polygonsOf = (geometry) => (geometry.type === 'Polygon' ? [geometry.coordinates]
  : geometry.coordinates)

/**
 * SVG paths of the boundary's rings, fitted into width × height with `pad`.
 * Longitude is scaled by the cosine of the middle latitude, so a square
 * village looks square. Returns { paths: [d], viewBox } (no paths for an empty one).
 */
export function outline(geometry, { width = 320, height = 200, pad = 8 } = {}) {
  const rings = geometry ? polygonsOf(geometry).flat() : []
  const positions = rings.flat()
  if (!positions.length) return { paths: [], viewBox: `0 0 ${width} ${height}` }
  const lngs = positions.map((p) => p[0])
  const lats = positions.map((p) => p[1])
  const [west, east, south, north] = [Math.min(...lngs), Math.max(...lngs), Math.min(...lats),
    Math.max(...lats)]
  const squeeze = Math.cos(((south + north) / 2) * (Math.PI / 180))
  const spanX = (east - west) * squeeze || 1e-9
  const spanY = north - south || 1e-9
  const scale = Math.min((width - 2 * pad) / spanX, (height - 2 * pad) / spanY)
  const offsetX = (width - spanX * scale) / 2
  const offsetY = (height - spanY * scale) / 2
  const point = ([lng, lat]) => `${(offsetX + (lng - west) * squeeze * scale).toFixed(1)},` +
    `${(offsetY + (north - lat) * scale).toFixed(1)}`
  // One path per polygon, its holes included: the even-odd rule leaves them open.
  const paths = polygonsOf(geometry).map((polygon) => polygon
    .map((ring) => `M${ring.map(point).join('L')}Z`).join(''))
  return { paths, viewBox: `0 0 ${width} ${height}` }
}

/** How many positions a GeoJSON Polygon or MultiPolygon has. */
export function coordinateCount(boundary) {
  const count = (value) => (Array.isArray(value) && typeof value[0] === 'number' ? 1
    : Array.isArray(value) ? value.reduce((sum, item) => sum + count(item), 0) : 0)
  return boundary ? count(boundary.coordinates) : 0
}
