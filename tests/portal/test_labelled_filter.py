"""The ``labelled`` filter (portal_tags, issue 40): a formset cell's control is named by its field's label,
keeping the widget's own attributes; a field that is not there renders nothing, as it did before."""

from django import forms
from django.template import Context, Template


class RowForm(forms.Form):
    occupation = forms.CharField(
        label="职业（工种）", widget=forms.TextInput(attrs={"class": "form-control"})
    )
    levels = forms.MultipleChoiceField(
        label="申请级别",
        choices=[("4", "四级/中级工"), ("5", "五级/初级工")],
        widget=forms.CheckboxSelectMultiple,
    )


def _render(source, **context):
    return Template("{% load portal_tags %}" + source).render(Context(context))


def test_the_control_carries_its_label_and_keeps_its_attributes():
    html = _render("{{ form.occupation|labelled }}", form=RowForm(prefix="occ-0"))
    assert 'aria-label="职业（工种）"' in html
    assert (
        'class="form-control"' in html
        and 'id="id_occ-0-occupation"' in html
        and 'name="occ-0-occupation"' in html
    )


def test_a_missing_field_renders_nothing():
    assert _render("{{ form.DELETE|labelled }}", form=RowForm()) == ""


def test_a_box_per_choice_keeps_its_own_name_and_the_group_carries_the_label():
    html = _render("{{ form.levels|labelled }}", form=RowForm(prefix="occ-0"))
    assert html.startswith('<div role="group" aria-label="申请级别">')
    assert html.count("aria-label") == 1  # not on each box, whose <label> names it
    assert "四级/中级工</label>" in html and 'id="id_occ-0-levels_0"' in html
