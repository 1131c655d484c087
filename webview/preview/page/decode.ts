// Decodes a PNG or JPEG the user picked into RGBA pixels with the browser's decoder
// (createImageBitmap), shrinking very large pictures first: the worker crops and resizes to the
// model input, which is rarely larger than a few hundred pixels.

export interface DecodedImage {
  name: string;
  width: number;
  height: number;
  rgba: Uint8ClampedArray;
}

export const MAX_DECODED_SIDE = 1024;

export async function decodeImage(name: string, bytes: Uint8Array, mime: string): Promise<DecodedImage> {
  const blob = new Blob([bytes.slice()], { type: mime });
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(blob);
  } catch {
    throw new Error(`${name} could not be decoded as ${mime === 'image/png' ? 'PNG' : mime === 'image/jpeg' ? 'JPEG' : 'an image'}`);
  }
  const longer = Math.max(bitmap.width, bitmap.height);
  if (longer > MAX_DECODED_SIDE) {
    const f = MAX_DECODED_SIDE / longer;
    const resized = await createImageBitmap(bitmap, {
      resizeWidth: Math.max(1, Math.round(bitmap.width * f)),
      resizeHeight: Math.max(1, Math.round(bitmap.height * f)),
      resizeQuality: 'high',
    });
    bitmap.close();
    bitmap = resized;
  }
  const canvas = document.createElement('canvas');
  canvas.width = bitmap.width;
  canvas.height = bitmap.height;
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (ctx === null) throw new Error('this webview cannot draw on a canvas');
  ctx.drawImage(bitmap, 0, 0);
  bitmap.close();
  const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
  return { name, width: canvas.width, height: canvas.height, rgba: data };
}
