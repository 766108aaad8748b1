"""Is a document a valid EDC? Its RDF (expanded offline, certificates.europass.
loader) checked by pySHACL against the EDC generic profile's shapes."""

import pyshacl
from django.utils.translation import gettext as _
from pyld.jsonld import JsonLdError
from rdflib.namespace import RDF, SH

from .loader import ContextRefused, graph, shapes


def _message(report, result) -> str:
    focus = report.value(result, SH.focusNode)
    path = report.value(result, SH.resultPath)
    shape = report.value(result, SH.sourceShape)
    text = report.value(result, SH.resultMessage)
    where = f"{focus} {path}" if path is not None else f"{focus}"
    details = [
        str(report.value(detail, SH.resultMessage))
        for detail in report.objects(result, SH.detail)
    ]
    because = f" [{'; '.join(sorted(details))}]" if details else ""
    return f"{where}: {text}{because} ({shape})"


def _refusal(error: BaseException | None, depth: int = 0) -> ContextRefused | None:
    """The ContextRefused a PyLD error wraps, if any (PyLD nests its causes)."""
    if error is None or depth > 8:
        return None
    if isinstance(error, ContextRefused):
        return error
    details = getattr(error, "details", None)
    nested = details.get("cause") if isinstance(details, dict) else None
    for cause in (nested, error.__cause__, error.__context__):
        if isinstance(cause, BaseException):
            found = _refusal(cause, depth + 1)
            if found is not None:
                return found
    return None


def europass_violations(document: dict) -> list[str]:
    """The terms the contexts do not define and the SHACL violations of the
    document, one human message each."""
    dropped = []
    data = graph(document, dropped=dropped)
    undefined = [
        _("Term not defined by the contexts (dropped): %(term)s") % {"term": term}
        for term in sorted({str(term) for term in dropped})
    ]
    conforms, report, _text = pyshacl.validate(
        data, shacl_graph=shapes(), inference="none", allow_warnings=True
    )
    if conforms:
        return undefined
    return undefined + sorted(
        _message(report, result)
        for validation in report.subjects(RDF.type, SH.ValidationReport)
        for result in report.objects(validation, SH.result)
        if report.value(result, SH.resultSeverity) == SH.Violation
    )


def europass_validate(document: dict) -> list[str]:
    """What is wrong with the document as an EDC ([] when nothing): a context
    that is not vendored, JSON-LD that does not expand, a term the contexts do
    not define, or SHACL violations."""
    try:
        return europass_violations(document)
    except ContextRefused as error:
        return [_("Context not allowed: %(url)s") % {"url": error}]
    except JsonLdError as error:
        refused = _refusal(error)
        if refused is not None:
            return [_("Context not allowed: %(url)s") % {"url": refused}]
        reason = error.args[0] if error.args else str(error)
        return [_("Not valid JSON-LD: %(reason)s") % {"reason": reason}]
