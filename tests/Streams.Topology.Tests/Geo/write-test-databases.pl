#!/usr/bin/perl
# Writes small GeoIP2-City and GeoLite2-ASN test databases with MaxMind's own writer
# (Debian: libmaxmind-db-writer-perl). Usage: write-test-databases.pl <output directory>
# The networks and values are the ones the GeoIP tests assert; change both together.
use strict;
use warnings;
use utf8;
use MaxMind::DB::Writer::Tree;

my $out = shift @ARGV or die "usage: $0 <output directory>\n";

# GeoIP2 field types, as in MaxMind's own test databases.
my %types = (
    city                           => 'map',
    continent                      => 'map',
    country                        => 'map',
    location                       => 'map',
    names                          => 'map',
    subdivisions                   => [ 'array', 'map' ],
    code                           => 'utf8_string',
    de                             => 'utf8_string',
    en                             => 'utf8_string',
    geoname_id                     => 'uint32',
    iso_code                       => 'utf8_string',
    latitude                       => 'double',
    longitude                      => 'double',
    accuracy_radius                => 'uint16',
    time_zone                      => 'utf8_string',
    autonomous_system_number       => 'uint32',
    autonomous_system_organization => 'utf8_string',
);

sub tree {
    my ($type, $description) = @_;
    return MaxMind::DB::Writer::Tree->new(
        ip_version            => 6,
        record_size           => 28,
        database_type         => $type,
        languages             => [ 'en', 'de' ],
        description           => { en => $description },
        alias_ipv6_to_ipv4    => 1,
        # 2001:db8::/32 is a documentation range; the tests use it on purpose.
        remove_reserved_networks => 0,
        map_key_type_callback => sub { $types{ $_[0] } },
    );
}

sub write_file {
    my ($tree, $name) = @_;
    open my $fh, '>:raw', "$out/$name" or die "cannot write $out/$name: $!\n";
    $tree->write_tree($fh);
    close $fh or die "cannot close $out/$name: $!\n";
}

my $city = tree('GeoIP2-City', 'Streams test GeoIP2 City database');
$city->insert_network('81.2.69.0/24', {
    city         => { geoname_id => 2643743, names => { en => 'London', de => 'London' } },
    continent    => { code => 'EU', names => { en => 'Europe' } },
    country      => { geoname_id => 2635167, iso_code => 'GB', names => { en => 'United Kingdom', de => 'Vereinigtes Königreich' } },
    location     => { accuracy_radius => 10, latitude => 51.5142, longitude => -0.0931, time_zone => 'Europe/London' },
    subdivisions => [ { iso_code => 'ENG', names => { en => 'England' } } ],
});
$city->insert_network('89.160.20.112/28', {
    city         => { names => { en => 'Linköping' } },
    country      => { iso_code => 'SE', names => { en => 'Sweden' } },
    location     => { latitude => 58.4167, longitude => 15.6167, time_zone => 'Europe/Stockholm' },
    subdivisions => [ { iso_code => 'E', names => { en => 'Östergötland County' } } ],
});
$city->insert_network('2001:db8:1::/48', {
    city         => { names => { en => 'Berlin' } },
    country      => { iso_code => 'DE', names => { en => 'Germany', de => 'Deutschland' } },
    location     => { latitude => 52.5244, longitude => 13.4105, time_zone => 'Europe/Berlin' },
    subdivisions => [ { iso_code => 'BE', names => { en => 'Land Berlin' } }, { iso_code => 'X', names => { en => 'Second level' } } ],
});
# A record with a country and nothing else.
$city->insert_network('67.43.156.0/24', {
    country => { iso_code => 'BT', names => { en => 'Bhutan' } },
});
write_file($city, 'GeoIP2-City-Test.mmdb');

my $asn = tree('GeoLite2-ASN', 'Streams test GeoLite2 ASN database');
$asn->insert_network('1.128.0.0/11', { autonomous_system_number => 1221, autonomous_system_organization => 'Telstra Pty Ltd' });
$asn->insert_network('89.160.20.112/28', { autonomous_system_number => 29518, autonomous_system_organization => 'Bredband2 AB' });
$asn->insert_network('2600:6000::/20', { autonomous_system_number => 237, autonomous_system_organization => 'Merit Network Inc.' });
write_file($asn, 'GeoLite2-ASN-Test.mmdb');
