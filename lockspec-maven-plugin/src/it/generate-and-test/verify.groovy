// The generated tests ran, with the results the prover announces: the replay of the buggy
// spec's deadlock reproduces it (and the validator sees the lock-order cycle the prover
// found), and the fixed spec's stress tests find nothing.
def reports = new File(basedir, 'target/surefire-reports')
def expected = [
    'pci.aer_sriov.buggy.ProbeVsAerTest'        : ['deadlock', 'lock_order'],
    'pci.aer_sriov.fixed.ProbeVsAerTest'        : ['stress'],
    'pci.aer_sriov.fixed.VfRemovedDuringAerTest': ['stress'],
]
expected.each { cls, tests ->
    def xml = new File(reports, "TEST-${cls}.xml")
    assert xml.isFile() : "no surefire report for ${cls}: the generated test did not run"
    def suite = new groovy.xml.XmlSlurper().parse(xml)
    assert suite.@tests.toInteger() == tests.size() : "${cls}: ${suite.@tests} tests, expected ${tests}"
    assert suite.@failures.toInteger() == 0 && suite.@errors.toInteger() == 0 && suite.@skipped.toInteger() == 0
    assert suite.testcase*.@name*.toString().sort() == tests.sort()
}
assert new File(basedir, 'target/generated-sources/lockspec/pci/aer_sriov/fixed/Ops.java').isFile()
assert new File(basedir, 'target/generated-test-sources/lockspec/pci/aer_sriov/buggy/ProbeVsAerTest.java').isFile()
def log = new File(basedir, 'build.log').text
assert log.contains('Tests run: 4, Failures: 0, Errors: 0, Skipped: 0')
assert log.contains('lockspec: generated 2 specs')
return true
