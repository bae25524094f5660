// How the data grids write numbers and times in the page's language (dashboard/tables.py names
// these functions in each column's valueFormatter); the grid keeps sorting on the values.
var dagfuncs = (window.dashAgGridFunctions = window.dashAgGridFunctions || {});
var IMVO_LOCALES = {nl: "nl-NL", en: "en-GB"};

dagfuncs.imvoNumber = function (value, lang, whole) {
    if (value === null || value === undefined) {
        return "";
    }
    // Whole numbers are years, counts and row numbers here: 2018, never 2.018.
    var options = whole ? {useGrouping: false} : {maximumFractionDigits: 3};
    return new Intl.NumberFormat(IMVO_LOCALES[lang], options).format(value);
};

dagfuncs.imvoShare = function (value, lang) {
    if (value === null || value === undefined) {
        return "";
    }
    var digits = {minimumFractionDigits: 1, maximumFractionDigits: 1};
    var text = new Intl.NumberFormat(IMVO_LOCALES[lang], digits).format(value * 100);
    return text + (lang === "nl" ? " %" : "%");
};

dagfuncs.imvoTime = function (value, lang) {
    if (!value) {
        return "";
    }
    var options = {dateStyle: "short", timeStyle: "short"};
    return new Date(value).toLocaleString(IMVO_LOCALES[lang], options);
};
