"""The synthesized templates are valid where they will be deployed."""


def test_cfn_lint_passes_in_every_region_of_the_target(template, lint_results):
    # cfn-lint knows which resource types each region offers: a China
    # template with a CloudFront Function or an origin access control fails here.
    status, output = lint_results[template.target.name]
    assert status == 0, output


def test_synthesis_gives_no_warnings(template):
    assert template.warnings() == []


def test_every_arn_is_built_on_the_stack_partition(template):
    # A literal "arn:aws:" names the wrong partition in the China regions (aws-cn).
    assert "arn:aws:" not in template.path.read_text()
