from badin import *  # noqa: F403  (lib/badin.py)


def patch():
    from fontTools.ttLib import TTFont, newTable
    from fontTools.ttLib.tables._f_v_a_r import Axis, NamedInstance
    f = TTFont("fonts/EgovSansSC-Regular.ttf")
    fvar = newTable("fvar")
    a = Axis(); a.axisTag = "wght"; a.minValue, a.defaultValue, a.maxValue = 100, 400, 900
    a.axisNameID = f["name"].addName("Weight")
    fvar.axes = [a]; fvar.instances = []
    f["fvar"] = fvar
    f.save("fonts/Variable.ttf")
    replace(DEF, "\ndatasets:\n", "\ntheme:\n" + '  font_regular: fonts/Variable.ttf\n' + "\ndatasets:\n")


main(patch)
