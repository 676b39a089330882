/** 'YYYY-MM' of the month `delta` months after `month` ('YYYY-MM'). */
export function monthAfter(month, delta) {
  const [year, number] = month.split('-').map(Number)
  const index = year * 12 + (number - 1) + delta
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`
}
