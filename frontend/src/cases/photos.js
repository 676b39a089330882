// Photos from the phone's camera, made small before they are kept in the outbox
// and uploaded: a 12-megapixel JPEG of 4 MB becomes about 200 KB at 1600 px,
// enough to see a broken lamp or a pile of rubbish, and cheap on a weak signal.

export const MAX_SIDE = 1600
export const QUALITY = 0.8
const SMALL_ENOUGH = 300 * 1024
export const MAX_PHOTOS = 6
// What POST /cases/{id}/attachments/uploads accepts (schemas/cases.py UploadRequest).
const UPLOADABLE = new Set(['image/jpeg', 'image/png', 'image/webp', 'image/heic'])
const MAX_BYTES = 10 * 1024 * 1024

/** The size to draw a width × height picture at so that neither side passes maxSide. */
export function fitWithin(width, height, maxSide = MAX_SIDE) {
  const scale = Math.min(1, maxSide / Math.max(width, height))
  return { width: Math.round(width * scale), height: Math.round(height * scale) }
}

async function decode(file) {
  if (typeof createImageBitmap === 'function') {
    return createImageBitmap(file, { imageOrientation: 'from-image' })
  }
  const url = URL.createObjectURL(file)
  try {
    const image = new Image()
    image.src = url
    await image.decode()
    return image
  } finally {
    URL.revokeObjectURL(url)
  }
}

function encode(image, { width, height }) {
  const canvas = document.createElement('canvas')
  canvas.width = width
  canvas.height = height
  canvas.getContext('2d').drawImage(image, 0, 0, width, height)
  return new Promise((resolve) => canvas.toBlob(resolve, 'image/jpeg', QUALITY))
}

/**
 * A picked file made ready to keep and upload: downscaled to MAX_SIDE and
 * re-encoded as JPEG, unless it is already small, or the browser cannot decode
 * it (HEIC outside Safari), when it goes as it is if the API takes it.
 * Throws Error('photo_unusable') for anything else.
 */
export async function preparePhoto(file, codec = { decode, encode }) {
  const small = file.size <= SMALL_ENOUGH && file.type === 'image/jpeg'
  let image = null
  try {
    image = await codec.decode(file)
  } catch {
    if (UPLOADABLE.has(file.type) && file.size <= MAX_BYTES) return file
    throw new Error('photo_unusable')
  }
  const target = fitWithin(image.width, image.height)
  if (small && target.width === image.width) return file
  const blob = await codec.encode(image, target)
  image.close?.()
  if (blob && blob.size < file.size) return blob
  if (UPLOADABLE.has(file.type) && file.size <= MAX_BYTES) return file
  throw new Error('photo_unusable')
}
