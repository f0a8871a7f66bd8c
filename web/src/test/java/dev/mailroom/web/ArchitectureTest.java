package dev.mailroom.web;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** I1: the web tier has no SMTP code and no path to the worker. */
class ArchitectureTest {
    private static final JavaClasses WEB = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.mailroom.web");

    @Test
    void web_does_not_depend_on_jakarta_mail_angus_or_the_worker() {
        noClasses().that().resideInAPackage("dev.mailroom.web..")
                .should().dependOnClassesThat().resideInAnyPackage("jakarta.mail..", "org.eclipse.angus..",
                        "dev.mailroom.worker..")
                .check(WEB);
    }

    @Test
    void has_no_smtp_classes_on_its_class_path() {
        assertThatThrownBy(() -> Class.forName("jakarta.mail.Transport")).isInstanceOf(ClassNotFoundException.class);
        assertThatThrownBy(() -> Class.forName("org.eclipse.angus.mail.smtp.SMTPTransport"))
                .isInstanceOf(ClassNotFoundException.class);
    }
}
