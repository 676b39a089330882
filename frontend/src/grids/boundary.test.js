import { describe, expect, it } from 'vitest'
import { outline, parseBoundary } from './boundary.js'

const SQUARE = [[[111.1, 35.6], [111.2, 35.6], [111.2, 35.7], [111.1, 35.7], [111.1, 35.6]]]

describe('grid boundaries', () => {
  it('reads a polygon alone, in a Feature, or in a collection of one', () => {
    const polygon = { type: 'Polygon', coordinates: SQUARE }
    expect(parseBoundary(JSON.stringify(polygon))).toEqual(polygon)
    expect(parseBoundary(JSON.stringify({ type: 'Feature', properties: {}, geometry: polygon })))
      .toEqual(polygon)
    expect(parseBoundary(JSON.stringify({ type: 'FeatureCollection', features: [
      { type: 'Feature', geometry: { type: 'Point', coordinates: [111, 35] } },
      { type: 'Feature', geometry: polygon }] }))).toEqual(polygon)
  })

  it('says what is wrong with anything else', () => {
    const problem = (text) => { try { parseBoundary(text) } catch (error) { return error.message } return null }
    expect(problem('{"type": "Polygon"')).toBe('notJson')
    expect(problem('{"type": "Point", "coordinates": [111, 35]}')).toBe('notPolygon')
    const two = { type: 'Feature', geometry: { type: 'Polygon', coordinates: SQUARE } }
    expect(problem(JSON.stringify({ type: 'FeatureCollection', features: [two, two] })))
      .toBe('manyFeatures')
  })

  it('fits the outline into its box, keeping a square square at that latitude', () => {
    const { paths, viewBox } = outline({ type: 'Polygon', coordinates: SQUARE },
      { width: 300, height: 300, pad: 0 })
    expect(viewBox).toBe('0 0 300 300')
    const points = paths[0].slice(1, -1).split('L').map((p) => p.split(',').map(Number))
    const xs = points.map(([x]) => x)
    const ys = points.map(([, y]) => y)
    const width = Math.max(...xs) - Math.min(...xs)
    const height = Math.max(...ys) - Math.min(...ys)
    expect(height).toBeCloseTo(300, 0) // latitude fills the box
    expect(width / height).toBeCloseTo(Math.cos((35.65 * Math.PI) / 180), 2)
    expect(Math.min(...ys)).toBe(0) // north up
  })

  it('draws each polygon of a MultiPolygon with its holes', () => {
    const hole = [[111.14, 35.64], [111.16, 35.64], [111.16, 35.66], [111.14, 35.64]]
    const { paths } = outline({ type: 'MultiPolygon', coordinates: [[SQUARE[0], hole], SQUARE] })
    expect(paths).toHaveLength(2)
    expect(paths[0].match(/M/g)).toHaveLength(2)
    expect(outline(null).paths).toEqual([])
  })
})
