"""The report's deck template: where it is (inside the project, or --template FILE), that it is a
.pptx/.potx, and that its layouts and placeholders serve every slide role (decktemplate.reader), each
problem located at the definition's key."""

from __future__ import annotations

from egovdeck.decktemplate.reader import TemplateRef
from egovdeck.errors import EgovError, Problem
from egovdeck.input.paths import safe_path


def template_for(project, check: bool = True) -> TemplateRef:  # project: input.project.Project
    """The report's template (checked: opened once, layouts and placeholders resolved), or egovdeck's own.

    project.load_project checks it; a build of that project passes check=False."""
    spec = project.report.theme
    if not spec.template:
        return TemplateRef()
    where = project.located.where(("theme", "template"))
    given = getattr(project, "template_file", None)  # --template FILE: any file the user names
    try:
        path = given or safe_path(project.root, spec.template)
    except ValueError as exc:
        raise EgovError(Problem(str(exc), hint="keep the template inside the project folder", **where)) from None
    if given is not None:
        where = {"file": given, "key": "--template"}
    if not path.exists():
        raise EgovError(Problem(f"deck template not found: {spec.template}", **where,
                                hint=f"expected at {path} (paths are relative to the project folder); remove "
                                     "theme.template to use egovdeck's own template"))
    if not path.is_file():  # a folder, a pipe or a device
        raise EgovError(Problem(f"the deck template {spec.template} is not a regular file",
                                hint="name a .pptx or .potx file", **where))
    if path.suffix.lower() not in (".pptx", ".potx"):
        raise EgovError(Problem(f"the deck template must be a .pptx or .potx file: {spec.template}", **where,
                                hint="save it from PowerPoint, WPS or LibreOffice as a .pptx or .potx (File > Save "
                                     "As) and name that file"))
    ref = TemplateRef(path, tuple(sorted(spec.template_layouts.items())), spec.template, spec.template_master)
    if check:
        locate = project.located.where
        if given is not None:  # a master chosen with --template-master is located there, not in the definition
            def locate(key, _where=project.located.where):
                if key[-1] in ("template_master", "template"):
                    return {"file": given, "key": f"--{key[-1].replace('_', '-')}"}
                return _where(key)
        ref.open(locate)  # every layout and placeholder problem now, before anything is written
    return ref
