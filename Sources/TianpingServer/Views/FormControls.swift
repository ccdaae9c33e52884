/// One `<option>` of a select on a workbench form, as the templates read it.
struct SelectOption {
    var value: String
    var label: String
    var selected: Bool
}

/// One checkbox of a workbench form.
struct CheckOption {
    var value: String
    var label: String
    var checked: Bool
}
