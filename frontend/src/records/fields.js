// What a record form's field is. Each feature lists its forms' fields in its own
// <feature>/fields.js (ledgers, grids, workers, accounts), one place for labels, types
// and limits (the limits mirror functions/chalicelib/schemas/). A field:
//   name      the API's field
//   label     its locale key
//   type      text (default) | textarea | tel | idNumber | digit | date | choice | tags |
//             switch | grid | custom (the form fills a slot named after it)
//   only      'create' | 'edit': the field is in that form only
//   personal  masked by the API: an edit starts it empty and sends it only when typed
//   options   choice: the values; their labels are `${optionLabels}.${value}`
//   levels    grid: the levels that may be picked

/** The common notes field, up to `maxlength` characters. */
export const notes = (maxlength) => ({ name: 'notes', label: 'common.notes', type: 'textarea',
  maxlength })

/** The fields of the form for `mode` ('create' | 'edit'). */
export function fieldsFor(fields, mode) {
  return fields.filter((field) => !field.only || field.only === mode)
}
