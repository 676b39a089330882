// Dates as the grid workers read them: business days in Asia/Shanghai.
const SHANGHAI = 'Asia/Shanghai'

/** 'YYYY-MM-DD' of a timestamp (or of now), in Asia/Shanghai. */
export function shanghaiDay(value = Date.now()) {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: SHANGHAI, year: 'numeric',
    month: '2-digit', day: '2-digit' }).format(new Date(value))
  return parts.slice(0, 10)
}

export function shanghaiTime(value) {
  if (!value) return ''
  return new Intl.DateTimeFormat('zh-CN', { timeZone: SHANGHAI, year: 'numeric', month: '2-digit',
    day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false }).format(new Date(value))
}
